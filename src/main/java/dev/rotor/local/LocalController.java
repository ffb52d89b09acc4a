package dev.rotor.local;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Local mode only: where the emulator listens, so a user's own application, written with the official
 * clients, can be pointed at the same emulator to see how it consumes rotated secrets.
 */
@Controller("/local")
@Requires(env = "local")
public class LocalController {
    private final Emulator emulator;

    public LocalController(Emulator emulator) {
        this.emulator = emulator;
    }

    @Get(uri = "/endpoints", produces = MediaType.APPLICATION_JSON)
    public Map<String, String> endpoints() {
        String address = emulator.loopbackAddress().orElse("in-process only");
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("project", LocalMode.PROJECT);
        endpoints.put("secretmanager", address);
        endpoints.put("transport", "grpc, plaintext");
        return endpoints;
    }
}
