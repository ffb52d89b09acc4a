package dev.rotor.api;

import io.micronaut.core.io.ResourceResolver;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves the OpenAPI description of the API (no token needed: it holds no data). */
@Controller
public class OpenApiController {
    private final byte[] document;

    public OpenApiController(ResourceResolver resources) {
        try (InputStream in = resources.getResourceAsStream("classpath:openapi.yaml").orElseThrow()) {
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get(uri = "/openapi.yaml", produces = "application/yaml")
    public HttpResponse<byte[]> openapi() {
        return HttpResponse.ok(document).contentType("application/yaml");
    }
}
