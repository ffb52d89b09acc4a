package dev.rotor.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.cloud.iam.credentials.v1.IamCredentialsClient;
import com.google.cloud.iam.credentials.v1.IamCredentialsSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Builds the official {@link IamCredentialsClient} from the channel seam ({@link GcpChannels}), the credentials bean and the
 * per-service call settings. Created on first use, closed on shutdown.
 */
@Factory
public class IamCredentialsFactory {
    @Singleton
    @Bean(preDestroy = "close")
    IamCredentialsClient iamCredentialsClient(
            GcpChannels channels, CredentialsProvider credentials, GcpSettings settings) {
        try {
            IamCredentialsSettings.Builder builder = IamCredentialsSettings.newBuilder()
                    .setTransportChannelProvider(channels.channelFor(GcpService.IAM_CREDENTIALS))
                    .setCredentialsProvider(credentials);
            builder.applyToAllUnaryMethods(CallTuning.from(settings.of(GcpService.IAM_CREDENTIALS)));
            return IamCredentialsClient.create(builder.build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the IamCredentials client: " + e.getMessage(), e);
        }
    }
}
