package dev.rotor.api;

import com.google.cloud.iam.admin.v1.IAMClient;
import com.google.cloud.iam.credentials.v1.IamCredentialsClient;
import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import dev.rotor.api.auth.AuthSettings;
import io.micronaut.context.BeanContext;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;

/**
 * Whether Rotor can serve: every Google client it needs can be constructed (configuration bound, endpoint
 * valid, credentials found). Constructing a gRPC client opens no connection, so this calls no Google API.
 * Once all are built the answer is cached: the clients are singletons and stay built.
 */
@Singleton
public class Readiness {
    private static final List<Class<?>> CLIENTS = List.of(SecretManagerServiceClient.class,
            KeyManagementServiceClient.class, IamCredentialsClient.class, IAMClient.class, ServicesClient.class);

    private final BeanContext context;
    private final AuthSettings auth;
    private volatile boolean ready;

    public Readiness(BeanContext context, AuthSettings auth) {
        this.context = context;
        this.auth = auth;
    }

    /** Empty when ready, else a reason a person can act on. */
    public Optional<String> problem() {
        if (ready) {
            return Optional.empty();
        }
        if (auth.audiences().isEmpty()) {
            return Optional.of("rotor.auth.audiences is not set: no /v1 call can be authenticated (set it to the "
                    + "service URL and any custom audiences)");
        }
        for (Class<?> client : CLIENTS) {
            try {
                context.getBean(client);
            } catch (RuntimeException e) {
                return Optional.of(client.getSimpleName() + " cannot be built: " + rootMessage(e));
            }
        }
        ready = true;
        return Optional.empty();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
