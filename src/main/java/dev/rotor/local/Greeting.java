package dev.rotor.local;

import dev.rotor.api.auth.AuthProperties;
import dev.rotor.status.StatusProperties;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local mode's first words, logged once when the HTTP server is up: where Rotor listens, that it runs on
 * the embedded emulator, how to get a token and the one call to try first. The README's local-mode block
 * is the full reference; this points there rather than repeating it.
 */
@Singleton
@Requires(env = "local")
public class Greeting implements ApplicationEventListener<ServerStartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(Greeting.class);

    private final AuthProperties auth;
    private final Emulator emulator;
    private final StatusProperties status;

    public Greeting(AuthProperties auth, Emulator emulator, StatusProperties status) {
        this.auth = auth;
        this.emulator = emulator;
        this.status = status;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        LOG.info(text(event.getSource().getURL().toString().replaceAll("/$", "")));
    }

    String text(String url) {
        StringBuilder s = new StringBuilder("Rotor is running in local mode at ").append(url)
                .append(", on its embedded Google Cloud emulator (")
                .append(emulator.loopbackAddress().orElse("in-process"))
                .append("): no Google account is used and nothing leaves this machine.");
        String audience = auth.audiences().isEmpty() ? auth.audience() : auth.audiences().getFirst();
        if (!auth.operatorPrincipals().isEmpty() && audience != null) {
            s.append("\n  get a token: OP=$(curl -sf \"").append(url).append("/local/id-token?email=")
                    .append(auth.operatorPrincipals().getFirst()).append("&audience=").append(audience)
                    .append("\")")
                    .append("\n  then try:    curl -s --fail-with-body -H \"Authorization: Bearer $OP\" ")
                    .append(url).append("/v1/secrets");
        }
        if (status.open()) {
            s.append("\n  status page, in a browser (no token in local mode): ").append(url).append('/');
        }
        return s.append("\n  more: the local-mode block of README.md; every endpoint in docs/api.md").toString();
    }
}
