package dev.rotor.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/**
 * {@code GET /metrics}: Rotor's meters in the Prometheus text format (version 0.0.4), as the last run left them
 * and with ages read now. Served when {@code rotor.metrics.endpoint} is true: in local mode, open like the rest
 * of it; on Cloud Run it is off, and behind Cloud Run's IAM check like every path when turned on.
 */
@Controller
@Requires(property = "rotor.metrics.endpoint", value = "true")
final class MetricsController {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final PrometheusMeterRegistry registry;

    MetricsController(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Get(uri = "/metrics", produces = CONTENT_TYPE)
    String scrape() {
        return registry.scrape();
    }
}
