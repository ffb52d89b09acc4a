package dev.rotor.status;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;

/**
 * Whether a request for the status page may skip authentication. The page is routed through the same filters as
 * {@code /v1} (the Cloud Run front end and {@code AuthFilter}); they ask this one question, so the exemption is
 * decided in one place. It holds only for {@code GET /} and only with {@code rotor.status.open}, which starts only
 * on the embedded emulator ({@code rotor.emulator.enabled}, itself refused on Cloud Run): a deployed Rotor can
 * never serve its secrets' names to an unauthenticated caller.
 */
@Context
public final class StatusAccess {
    /** The page's path, which the filters of {@code /v1} also cover. */
    public static final String PATH = "/";
    private final boolean open;

    public StatusAccess(StatusProperties properties,
                        @Property(name = "rotor.emulator.enabled", defaultValue = "false") boolean emulator) {
        if (properties.open() && !emulator) {
            throw new IllegalArgumentException("rotor.status.open serves the status page without authentication and "
                    + "is for local mode only (rotor.emulator.enabled=true); remove it, and open the page through "
                    + "'gcloud run services proxy' as docs/api.md describes");
        }
        this.open = properties.open();
    }

    /** True for {@code GET /} in local mode: let it through without a token. */
    public boolean open(HttpRequest<?> request) {
        return open && PATH.equals(request.getPath());
    }
}
