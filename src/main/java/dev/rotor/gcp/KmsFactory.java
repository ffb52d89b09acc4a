package dev.rotor.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.google.cloud.kms.v1.KeyManagementServiceSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Builds the official {@link KeyManagementServiceClient} from the channel seam ({@link GcpChannels}), the credentials bean and the
 * per-service call settings. Created on first use, closed on shutdown.
 */
@Factory
public class KmsFactory {
    @Singleton
    @Bean(preDestroy = "close")
    KeyManagementServiceClient keyManagementServiceClient(
            GcpChannels channels, CredentialsProvider credentials, GcpSettings settings) {
        try {
            KeyManagementServiceSettings.Builder builder = KeyManagementServiceSettings.newBuilder()
                    .setTransportChannelProvider(channels.channelFor(GcpService.KMS))
                    .setCredentialsProvider(credentials);
            builder.applyToAllUnaryMethods(CallTuning.from(settings.of(GcpService.KMS)));
            return KeyManagementServiceClient.create(builder.build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the Kms client: " + e.getMessage(), e);
        }
    }
}
