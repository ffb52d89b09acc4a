package dev.rotor.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.cloud.container.v1.ClusterManagerSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The official GKE {@link ClusterManagerClient} (cluster endpoint and CA for the GKE restarter). */
@Factory
public class ContainerFactory {
    @Singleton
    @Bean(preDestroy = "close")
    ClusterManagerClient clusterManagerClient(GcpChannels channels, CredentialsProvider credentials,
                                              GcpSettings settings) {
        try {
            ClusterManagerSettings.Builder b = ClusterManagerSettings.newBuilder()
                    .setTransportChannelProvider(channels.channelFor(GcpService.CONTAINER))
                    .setCredentialsProvider(credentials);
            b.applyToAllUnaryMethods(CallTuning.from(settings.of(GcpService.CONTAINER)));
            return ClusterManagerClient.create(b.build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the GKE cluster manager client: " + e.getMessage(), e);
        }
    }
}
