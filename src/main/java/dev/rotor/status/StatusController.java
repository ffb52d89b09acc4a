package dev.rotor.status;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import dev.rotor.rotation.SecretsView;
import io.micronaut.core.io.ResourceResolver;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The status page, {@code GET /}: every managed secret's health at a glance, problems first (issue 16). It reads
 * the same listing as {@code GET /v1/secrets} ({@link SecretsView}: its cache, and no Google call per secret)
 * and renders it on the server with a Mustache template (jmustache: Micronaut Views is not available for
 * Micronaut 5 on our mirror), which HTML-escapes every value. The page has no script and loads nothing, so it is
 * sent with a CSP that forbids everything but inline styles.
 *
 * <p>Authentication is that of {@code /v1}: the Cloud Run front end and {@code AuthFilter} cover this path, and
 * only an operator may read it; local mode opens it ({@link StatusAccess}).
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class StatusController {
    /** Nothing but inline styles: no script, image, font, frame, form target or base URL. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private final SecretsView view;
    private final Clock clock;
    private final Template page;

    public StatusController(SecretsView view, Clock clock, ResourceResolver resources) {
        this.view = view;
        this.clock = clock;
        try (Reader in = new InputStreamReader(resources.getResourceAsStream("classpath:status/page.mustache")
                .orElseThrow(() -> new IllegalStateException("status/page.mustache is missing from the jar")),
                StandardCharsets.UTF_8)) {
            this.page = Mustache.compiler().escapeHTML(true).compile(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get(uri = StatusAccess.PATH, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> page() {
        String html = page.execute(StatusModel.of(view.list(), clock.instant()));
        return HttpResponse.ok(html).contentType(MediaType.TEXT_HTML + ";charset=utf-8")
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store");
    }
}
