package dev.rotor.consumer;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How long restarters wait for a rollout and how often they look (DESIGN §5). A roll that is not complete by
 * its deadline fails with what it last saw; the restart stays in place, and the next run checks it again
 * without restarting a second time (its stamp is already there).
 *
 * @param gkeTimeout   bound on waiting for a Deployment rollout, as {@code kubectl rollout status --timeout}
 * @param migTimeout   bound on waiting for a managed instance group to be stable; VMs take minutes each
 * @param pollInterval pause between two readings of a rollout's progress
 */
@ConfigurationProperties("rotor.restart")
public record RestartProperties(
        @Bindable(defaultValue = DEFAULT_GKE_TIMEOUT) Duration gkeTimeout,
        @Bindable(defaultValue = DEFAULT_MIG_TIMEOUT) Duration migTimeout,
        @Bindable(defaultValue = DEFAULT_POLL_INTERVAL) Duration pollInterval) {
    public static final String DEFAULT_GKE_TIMEOUT = "PT10M";
    public static final String DEFAULT_MIG_TIMEOUT = "PT30M";
    public static final String DEFAULT_POLL_INTERVAL = "PT5S";

    public RestartProperties {
        for (Duration d : new Duration[]{gkeTimeout, migTimeout, pollInterval}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("rotor.restart.gke-timeout, .mig-timeout and .poll-interval must "
                        + "be positive durations");
            }
        }
    }
}
