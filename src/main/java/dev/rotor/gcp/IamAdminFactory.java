package dev.rotor.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.cloud.iam.admin.v1.IAMClient;
import com.google.cloud.iam.admin.v1.IAMSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Builds the official {@link IAMClient} from the channel seam ({@link GcpChannels}), the credentials bean and the
 * per-service call settings. Created on first use, closed on shutdown.
 */
@Factory
public class IamAdminFactory {
    @Singleton
    @Bean(preDestroy = "close")
    IAMClient iamClient(
            GcpChannels channels, CredentialsProvider credentials, GcpSettings settings) {
        try {
            IAMSettings.Builder builder = IAMSettings.newBuilder()
                    .setTransportChannelProvider(channels.channelFor(GcpService.IAM_ADMIN))
                    .setCredentialsProvider(credentials);
            builder.applyToAllUnaryMethods(CallTuning.from(settings.of(GcpService.IAM_ADMIN)));
            return IAMClient.create(builder.build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the IamAdmin client: " + e.getMessage(), e);
        }
    }
}
