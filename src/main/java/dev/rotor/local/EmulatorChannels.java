package dev.rotor.local;

import com.google.api.gax.grpc.GrpcTransportChannel;
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

    public EmulatorChannels(Emulator emulator) {
        this.provider = FixedTransportChannelProvider.create(GrpcTransportChannel.create(emulator.channel()));
    }

    @Override
    public TransportChannelProvider channelFor(GcpService service) {
        return provider;
    }

    /** The emulator serves in-process and on loopback only. */
    @Override
    public boolean loopback(GcpService service) {
        return true;
    }
}
