package dev.rotor.api;

import dev.rotor.api.auth.Caller;
import dev.rotor.rotation.Rollback;
import dev.rotor.rotation.SecretResult;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.validation.Valid;


/**
 * {@code POST /v1/secrets/{project}/{secret}:rollback} (DESIGN §3, §4): the previous credential becomes current
 * again. 200 when it did and every consumer rolled to it, 500 with the result when a consumer did not, 409 with
 * the reason when there is no usable previous version (nothing is changed then).
 */
@Controller("/v1/secrets")
@ExecuteOn(TaskExecutors.BLOCKING)
public class RollbackController {
    private final Rollback rollback;

    public RollbackController(Rollback rollback) {
        this.rollback = rollback;
    }

    @Post(uri = "/{project}/{secret}:rollback", consumes = MediaType.APPLICATION_JSON,
            produces = MediaType.APPLICATION_JSON)
    public HttpResponse<SecretResult> rollBack(@PathVariable String project, @PathVariable String secret,
                                               @Valid @Nullable @Body Requests.Rollback body, HttpRequest<?> request) {
        var ref = Names.secret(project, secret);
        if (body == null || body.reason() == null) {
            throw ProblemException.badRequest("'reason' is required: a non-empty string");
        }
        String reason = body.reason();
        Caller caller = request.getAttribute(Caller.ATTRIBUTE, Caller.class)
                .orElseThrow(() -> new ProblemException(401, "no authenticated caller"));
        SecretResult result = rollback.rollBack(ref, caller.email(), reason);
        return HttpResponse.status(result.outcome().equals(SecretResult.FAILED)
                ? HttpStatus.INTERNAL_SERVER_ERROR : HttpStatus.OK).body(result);
    }
}
