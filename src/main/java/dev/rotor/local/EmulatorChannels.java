package dev.rotor.local;

import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.httpjson.InstantiatingHttpJsonChannelProvider;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import dev.rotor.gcp.GcpChannels;
import dev.rotor.gcp.GcpService;

/**
 * Every Google client's channel goes to the embedded emulator. The channel is shared and owned by the
 * emulator: {@link FixedTransportChannelProvider} never closes it when a client closes.
 */
public final class EmulatorChannels implements GcpChannels {
    private final TransportChannelProvider provider;
    private final String computeEndpoint;

    public EmulatorChannels(Emulator emulator) {
        this.provider = FixedTransportChannelProvider.create(GrpcTransportChannel.create(emulator.channel()));
        this.computeEndpoint = emulator.computeEndpoint();
    }

    /** gRPC to the emulator, except Compute: REST only, to its loopback HTTP server. */
    @Override
    public TransportChannelProvider channelFor(GcpService service) {
        if (service == GcpService.COMPUTE) {
            return InstantiatingHttpJsonChannelProvider.newBuilder().setEndpoint(computeEndpoint).build();
        }
        return provider;
    }

    /** The emulator serves in-process and on loopback only. */
    @Override
    public boolean loopback(GcpService service) {
        return true;
    }
}
