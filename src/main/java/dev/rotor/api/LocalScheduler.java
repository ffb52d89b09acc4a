package dev.rotor.api;

import dev.rotor.rotation.RunReport;
import dev.rotor.rotation.RunService;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * Local mode plays Cloud Scheduler: a pass every {@code rotor.local.run-every} (default 30 s), so the demo
 * secrets visibly rotate and retire. On Cloud Run, Cloud Scheduler calls {@code POST /v1/runs} instead.
 */
@Singleton
@Requires(env = "local")
public class LocalScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(LocalScheduler.class);
    private final RunService runs;
    private long count;

    public LocalScheduler(RunService runs) {
        this.runs = runs;
    }

    @Scheduled(initialDelay = "2s", fixedDelay = "${rotor.local.run-every:30s}")
    void pass() {
        RunReport report = runs.run(new RunService.RunRequest("local-" + (++count), Set.of(), false));
        report.secrets().forEach(s -> LOG.info("{} {}: {} {} -> {}{}", s.action(), s.secret(), s.outcome(),
                s.fromVersion(), s.toVersion(), s.error() == null ? "" : " (" + s.error() + ")"));
    }
}
