package dev.rotor.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Builds the official {@link SecretManagerServiceClient} from the channel seam ({@link GcpChannels}), the credentials bean and the
 * per-service call settings. Created on first use, closed on shutdown.
 */
@Factory
public class SecretManagerFactory {
    @Singleton
    @Bean(preDestroy = "close")
    SecretManagerServiceClient secretManagerServiceClient(
            GcpChannels channels, CredentialsProvider credentials, GcpSettings settings) {
        try {
            SecretManagerServiceSettings.Builder builder = SecretManagerServiceSettings.newBuilder()
                    .setTransportChannelProvider(channels.channelFor(GcpService.SECRET_MANAGER))
                    .setCredentialsProvider(credentials);
            builder.applyToAllUnaryMethods(CallTuning.from(settings.of(GcpService.SECRET_MANAGER)));
            return SecretManagerServiceClient.create(builder.build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the SecretManager client: " + e.getMessage(), e);
        }
    }
}
