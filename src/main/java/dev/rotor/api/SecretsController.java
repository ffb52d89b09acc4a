package dev.rotor.api;

import dev.rotor.api.auth.Caller;
import dev.rotor.rotation.ManualRotation;
import dev.rotor.rotation.SecretResult;
import dev.rotor.rotation.SecretsView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.validation.Valid;

import java.util.List;
import java.util.Map;

/** The operator's view of managed secrets, and emergency rotation (DESIGN §4). */
@Controller("/v1/secrets")
@ExecuteOn(TaskExecutors.BLOCKING)
public class SecretsController {
    static final int MAX_REASON = 500;
    private final SecretsView view;
    private final ManualRotation manual;

    public SecretsController(SecretsView view, ManualRotation manual) {
        this.view = view;
        this.manual = manual;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    public Map<String, List<SecretsView.Row>> list() {
        return Map.of("secrets", view.list());
    }

    @Get(uri = "/{project}/{secret}", produces = MediaType.APPLICATION_JSON)
    public SecretsView.Detail one(@PathVariable String project, @PathVariable String secret) {
        return view.one(Names.secret(project, secret));
    }

    /** Rotates now. 200 with the secret's result when it rotated, 500 with it when it failed. */
    @Post(uri = "/{project}/{secret}:rotate", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<SecretResult> rotate(@PathVariable String project, @PathVariable String secret,
                                             @Valid @Nullable @Body Requests.Rotate body, HttpRequest<?> request) {
        var ref = Names.secret(project, secret);
        if (body == null || body.reason() == null) {
            throw ProblemException.badRequest("'reason' is required: a non-empty string");
        }
        String reason = body.reason();
        boolean revoke = Boolean.TRUE.equals(body.revokePrevious());
        Caller caller = request.getAttribute(Caller.ATTRIBUTE, Caller.class)
                .orElseThrow(() -> new ProblemException(401, "no authenticated caller"));
        SecretResult result = manual.rotate(ref, caller.email(), reason, revoke);
        return HttpResponse.status(result.outcome().equals(SecretResult.FAILED)
                ? HttpStatus.INTERNAL_SERVER_ERROR : HttpStatus.OK).body(result);
    }
}
