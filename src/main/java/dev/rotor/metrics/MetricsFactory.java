package dev.rotor.metrics;

import dev.rotor.gcp.CloudRunEnvironment;
import dev.rotor.rotation.RotationProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Primary;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The meter registries, wired by hand because Micronaut's micrometer module is not on the build's mirror
 * (docs/design.md, Changes). One composite holds Rotor's meters: a Prometheus registry (always, in memory;
 * scraped at {@code GET /metrics} when enabled) and, with real credentials, the Cloud Monitoring one.
 */
@Factory
final class MetricsFactory {
    /** The {@code namespace} label of the {@code generic_task} resource. */
    static final String NAMESPACE = "rotor";

    @Singleton
    @Bean(typed = PrometheusMeterRegistry.class, preDestroy = "close")
    PrometheusMeterRegistry prometheus() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /**
     * The resource labels: {@code job} is the Cloud Run service ({@code K_SERVICE}), {@code task_id} a random id of
     * this process, since Cloud Run sets no instance id in the environment.
     */
    @Singleton
    @Requires(property = "rotor.metrics.cloud-monitoring", notEquals = "false")
    @Requires(property = "rotor.credentials", notEquals = "none")
    @Bean(typed = CloudMonitoringRegistry.class, preDestroy = "close")
    CloudMonitoringRegistry cloudMonitoring(MetricsProperties metrics, RotationProperties rotation,
                                            CloudRunEnvironment cloudRun) {
        String project = metrics.project() != null && !metrics.project().isBlank() ? metrics.project()
                : rotation.projects().stream().findFirst().orElseThrow(() -> new ConfigurationException(
                        "rotor.metrics.project is not set and rotor.projects is empty: Cloud Monitoring needs a project"));
        Map<String, String> labels = Map.of("location", metrics.location(), "namespace", NAMESPACE,
                "job", cloudRun.onCloudRun() ? cloudRun.service() : NAMESPACE,
                "task_id", UUID.randomUUID().toString());
        return new CloudMonitoringRegistry(CloudMonitoringRegistry.config(project, metrics.step(), labels));
    }

    @Singleton
    @Primary
    @Bean(typed = MeterRegistry.class)
    MeterRegistry registry(PrometheusMeterRegistry prometheus, Optional<CloudMonitoringRegistry> cloud) {
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        composite.add(prometheus);
        cloud.ifPresent(composite::add);
        return composite;
    }
}
