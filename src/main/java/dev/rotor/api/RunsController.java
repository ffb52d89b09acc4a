package dev.rotor.api;

import dev.rotor.policy.Kind;
import dev.rotor.rotation.AuditReport;
import dev.rotor.rotation.Auditor;
import dev.rotor.rotation.RunReport;
import dev.rotor.rotation.RunService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Passes: {@code POST /v1/runs}, {@code POST /v1/audits}, {@code GET /v1/plan} (DESIGN §2, §4). */
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
public class RunsController {
    static final String SCHEDULE_TIME = "X-CloudScheduler-ScheduleTime";
    private static final Logger LOG = LoggerFactory.getLogger(RunsController.class);
    private final RunService runs;
    private final Auditor auditor;
    private final RunLedger ledger;

    public RunsController(RunService runs, Auditor auditor, RunLedger ledger) {
        this.runs = runs;
        this.auditor = auditor;
        this.ledger = ledger;
    }

    /** 200 with the report when no secret failed, 500 with the same report when any did. */
    @Post(uri = "/runs", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<RunReport> run(@Nullable @Body Requests.Run body, @Nullable @Header(SCHEDULE_TIME) String scheduled) {
        Requests.Run request = body == null ? Requests.Run.NONE : body;
        Set<Kind> kinds = kinds(request.kinds() == null ? List.of() : request.kinds());
        boolean dryRun = Boolean.TRUE.equals(request.dryRun());
        String runId = runId(scheduled, dryRun);
        RunReport report = scheduled == null ? runs.run(new RunService.RunRequest(runId, kinds, dryRun))
                : ledger.once(runId + "|" + kinds + "|" + dryRun, () -> runs.run(new RunService.RunRequest(runId, kinds, dryRun)));
        logReport(report);
        return HttpResponse.status(report.anyFailed() ? HttpStatus.INTERNAL_SERVER_ERROR : HttpStatus.OK).body(report);
    }

    @Post(uri = "/audits", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public AuditReport audit(@Nullable @Body Requests.Audit body) {
        Requests.Audit request = body == null ? Requests.Audit.NONE : body;
        return auditor.audit("audit-" + UUID.randomUUID(), Boolean.TRUE.equals(request.repair()));
    }

    /** What a run would do now, touching nothing. */
    @Get(uri = "/plan", produces = MediaType.APPLICATION_JSON)
    public RunReport plan() {
        return runs.run(new RunService.RunRequest("plan-" + UUID.randomUUID(), Set.of(), true));
    }

    private static Set<Kind> kinds(List<String> labels) {
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        for (String label : labels) {
            kinds.add(Kind.of(label).orElseThrow(() -> ProblemException.badRequest("'" + label.substring(0,
                    Math.min(label.length(), 40)) + "' is not a kind (service-account-key, access-token, id-token, generated)")));
        }
        return kinds;
    }

    private static String runId(String scheduled, boolean dryRun) {
        if (scheduled == null) {
            return (dryRun ? "plan-" : "run-") + UUID.randomUUID();
        }
        try {
            return "scheduled-" + Instant.parse(scheduled.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(SCHEDULE_TIME + " must be an RFC 3339 time");
        }
    }

    /** The whole report as one structured log entry, so a run can be found and read in Cloud Logging. */
    private static void logReport(RunReport report) {
        try {
            String json = ObjectMapper.getDefault().writeValueAsString(report);
            if (report.anyFailed()) {
                LOG.error("run report {}", json);
            } else {
                LOG.info("run report {}", json);
            }
        } catch (IOException e) {
            LOG.warn("run {} finished; its report could not be written to the log: {}", report.runId(), e.getMessage());
        }
    }
}
