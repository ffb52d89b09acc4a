package dev.rotor;

import io.micronaut.runtime.Micronaut;

/**
 * Rotor's entry point. The HTTP port comes from {@code PORT} (Cloud Run sets it), default 8080, through
 * {@code micronaut.server.port} in {@code application.yml}.
 */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
