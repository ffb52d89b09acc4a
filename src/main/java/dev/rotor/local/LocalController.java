package dev.rotor.local;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Local mode only: where the emulator listens, so a user's own application, written with the official
 * clients, can be pointed at the same emulator to see how it consumes rotated secrets; and the emulator as
 * OIDC issuer, so {@code /v1} calls can be made with tokens Rotor verifies exactly as it verifies Google's.
 */
@Controller("/local")
@Requires(env = "local")
public class LocalController {
    private final Emulator emulator;

    public LocalController(Emulator emulator) {
        this.emulator = emulator;
    }

    /** An emulator-signed ID token for any email, as Cloud Scheduler or gcloud would present (plain text). */
    @Get(uri = "/id-token", produces = MediaType.TEXT_PLAIN)
    public String idToken(@QueryValue String email, @QueryValue String audience) {
        return emulator.oidc().idToken(email, audience);
    }

    /** The emulator's signing keys, in Google's JWKS format. */
    @Get(uri = "/jwks", produces = MediaType.APPLICATION_JSON)
    public String jwks() {
        return emulator.oidc().jwks();
    }

    @Get(uri = "/endpoints", produces = MediaType.APPLICATION_JSON)
    public Map<String, String> endpoints() {
        String address = emulator.loopbackAddress().orElse("in-process only");
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("project", LocalMode.PROJECT);
        for (String service : new String[] {"secretmanager", "cloudkms", "iamcredentials", "iam", "run"}) {
            endpoints.put(service, address);
        }
        endpoints.put("transport", "grpc, plaintext");
        endpoints.put("secretmanagerRest", emulator.httpUrl().orElse("none"));
        endpoints.put("tokenUri", emulator.tokenUri());
        endpoints.put("idToken", "/local/id-token?email=EMAIL&audience=AUDIENCE");
        endpoints.put("jwks", "/local/jwks");
        return endpoints;
    }
}
