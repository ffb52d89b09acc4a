package dev.rotor.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.Map;

/**
 * Cloud Run probes. Liveness looks at the process only, so a Google outage never gets Rotor restarted in
 * a loop; readiness checks that configuration loaded and every Google client can be built, and never
 * calls a Google API.
 */
@Controller("/health")
public class HealthController {
    private final Readiness readiness;

    public HealthController(Readiness readiness) {
        this.readiness = readiness;
    }

    @Get(uri = "/liveness", produces = MediaType.APPLICATION_JSON)
    public Map<String, String> liveness() {
        return Map.of("status", "UP");
    }

    @Get(uri = "/readiness", produces = MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> readiness() {
        return readiness.problem()
                .<HttpResponse<?>>map(detail -> Problems.of(503, "Not ready", detail))
                .orElseGet(() -> HttpResponse.ok(Map.of("status", "UP")));
    }
}
