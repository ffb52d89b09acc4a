package dev.rotor.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.cloud.compute.v1.InstanceGroupManagersClient;
import com.google.cloud.compute.v1.InstanceGroupManagersSettings;
import com.google.cloud.compute.v1.RegionInstanceGroupManagersClient;
import com.google.cloud.compute.v1.RegionInstanceGroupManagersSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The official Compute Engine clients for zonal and regional managed instance groups. Compute speaks REST
 * only (gcp-api-facts §8.2), so the channel seam hands out an HTTP/JSON channel for {@link GcpService#COMPUTE}.
 */
@Factory
public class ComputeFactory {
    @Singleton
    @Bean(preDestroy = "close")
    InstanceGroupManagersClient instanceGroupManagersClient(GcpChannels channels, CredentialsProvider credentials,
                                                            GcpSettings settings) {
        try {
            InstanceGroupManagersSettings.Builder b = InstanceGroupManagersSettings.newBuilder()
                    .setTransportChannelProvider(channels.channelFor(GcpService.COMPUTE))
                    .setCredentialsProvider(credentials);
            b.applyToAllUnaryMethods(CallTuning.from(settings.of(GcpService.COMPUTE)));
            return InstanceGroupManagersClient.create(b.build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the Compute instance group managers client: "
                    + e.getMessage(), e);
        }
    }

    @Singleton
    @Bean(preDestroy = "close")
    RegionInstanceGroupManagersClient regionInstanceGroupManagersClient(GcpChannels channels,
                                                                        CredentialsProvider credentials,
                                                                        GcpSettings settings) {
        try {
            RegionInstanceGroupManagersSettings.Builder b = RegionInstanceGroupManagersSettings.newBuilder()
                    .setTransportChannelProvider(channels.channelFor(GcpService.COMPUTE))
                    .setCredentialsProvider(credentials);
            b.applyToAllUnaryMethods(CallTuning.from(settings.of(GcpService.COMPUTE)));
            return RegionInstanceGroupManagersClient.create(b.build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the Compute regional instance group managers client: "
                    + e.getMessage(), e);
        }
    }
}
