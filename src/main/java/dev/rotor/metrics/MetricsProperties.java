package dev.rotor.metrics;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Where Rotor's metrics go (docs/observability.md).
 *
 * @param cloudMonitoring export to Cloud Monitoring at the end of every run (and every {@code step} while the
 *                        instance has CPU); only with real credentials ({@code rotor.credentials} is not
 *                        {@code none}), so local mode and tests never try
 * @param project         the project that receives the time series; default the first of {@code rotor.projects}
 * @param location        the {@code location} label of the {@code generic_task} resource, e.g. Cloud Run's region
 * @param step            how often the registry publishes by itself and the window of its counters; at least
 *                        {@link #MIN_STEP}: Cloud Monitoring takes one point per time series every 5 s at most
 * @param endpoint        serve Prometheus text at {@code GET /metrics} (on in local mode; off on Cloud Run)
 */
@ConfigurationProperties("rotor.metrics")
public record MetricsProperties(
        @Bindable(defaultValue = "true") boolean cloudMonitoring,
        @Nullable String project,
        @Bindable(defaultValue = DEFAULT_LOCATION) String location,
        @Bindable(defaultValue = DEFAULT_STEP) Duration step,
        @Bindable(defaultValue = "false") boolean endpoint) {
    public static final String DEFAULT_LOCATION = "global";
    public static final String DEFAULT_STEP = "PT1M";
    public static final Duration MIN_STEP = Duration.ofSeconds(10);

    public MetricsProperties {
        location = location == null || location.isBlank() ? DEFAULT_LOCATION : location.trim();
        step = step == null ? Duration.parse(DEFAULT_STEP) : step;
        if (step.compareTo(MIN_STEP) < 0) {
            throw new ConfigurationException("rotor.metrics.step must be at least " + MIN_STEP.toSeconds()
                    + " s (Cloud Monitoring accepts one point per time series every 5 s); it is " + step);
        }
    }
}
