package dev.rotor.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.run.v2.ServicesSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import com.google.api.gax.longrunning.OperationTimedPollAlgorithm;
import com.google.api.gax.retrying.RetrySettings;

import java.io.IOException;
import java.time.Duration;
import java.io.UncheckedIOException;

/**
 * Builds the official {@link ServicesClient} from the channel seam ({@link GcpChannels}), the credentials bean and the
 * per-service call settings. Created on first use, closed on shutdown.
 */
@Factory
public class CloudRunFactory {
    static final Duration OPERATION_TIMEOUT = Duration.ofMinutes(10);

    @Singleton
    @Bean(preDestroy = "close")
    ServicesClient servicesClient(
            GcpChannels channels, CredentialsProvider credentials, GcpSettings settings) {
        try {
            ServicesSettings.Builder builder = ServicesSettings.newBuilder()
                    .setTransportChannelProvider(channels.channelFor(GcpService.CLOUD_RUN))
                    .setCredentialsProvider(credentials);
            builder.applyToAllUnaryMethods(CallTuning.from(settings.of(GcpService.CLOUD_RUN)));
            // UpdateService is a long-running operation: poll it at the configured pace, for up to 10 min
            GcpServiceProperties p = settings.of(GcpService.CLOUD_RUN);
            Duration first = p.initialBackoff() != null ? p.initialBackoff() : Duration.ofSeconds(1);
            builder.updateServiceOperationSettings().setPollingAlgorithm(OperationTimedPollAlgorithm.create(
                    RetrySettings.newBuilder().setInitialRetryDelayDuration(first).setRetryDelayMultiplier(1.5)
                            .setMaxRetryDelayDuration(first.compareTo(Duration.ofSeconds(10)) > 0 ? first
                                    : Duration.ofSeconds(10))
                            .setTotalTimeoutDuration(OPERATION_TIMEOUT).build()));
            return ServicesClient.create(builder.build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the CloudRun client: " + e.getMessage(), e);
        }
    }
}
