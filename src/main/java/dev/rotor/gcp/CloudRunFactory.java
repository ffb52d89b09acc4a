package dev.rotor.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.run.v2.ServicesSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Builds the official {@link ServicesClient} from the channel seam ({@link GcpChannels}), the credentials bean and the
 * per-service call settings. Created on first use, closed on shutdown.
 */
@Factory
public class CloudRunFactory {
    @Singleton
    @Bean(preDestroy = "close")
    ServicesClient servicesClient(
            GcpChannels channels, CredentialsProvider credentials, GcpSettings settings) {
        try {
            ServicesSettings.Builder builder = ServicesSettings.newBuilder()
                    .setTransportChannelProvider(channels.channelFor(GcpService.CLOUD_RUN))
                    .setCredentialsProvider(credentials);
            builder.applyToAllUnaryMethods(CallTuning.from(settings.of(GcpService.CLOUD_RUN)));
            return ServicesClient.create(builder.build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the CloudRun client: " + e.getMessage(), e);
        }
    }
}
