package dev.rotor.gcp;

import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import io.grpc.ManagedChannelBuilder;
import jakarta.inject.Singleton;

/**
 * Channels to the configured endpoints (Google's by default). A {@code plaintext} endpoint is for a
 * loopback emulator; TLS is used everywhere else.
 */
@Singleton
public final class EndpointChannels implements GcpChannels {
    private final GcpSettings settings;

    public EndpointChannels(GcpSettings settings) {
        this.settings = settings;
    }

    @Override
    public TransportChannelProvider channelFor(GcpService service) {
        InstantiatingGrpcChannelProvider.Builder builder = InstantiatingGrpcChannelProvider.newBuilder()
                .setEndpoint(settings.endpoint(service));
        if (settings.of(service).isPlaintext()) {
            builder.setChannelConfigurator(ManagedChannelBuilder::usePlaintext);
        }
        return builder.build();
    }

    @Override
    public boolean loopback(GcpService service) {
        return Hosts.isLoopback(settings.endpoint(service));
    }
}
