package dev.rotor.api;

import com.google.cloud.iam.admin.v1.IAMClient;
import com.google.cloud.iam.credentials.v1.IamCredentialsClient;
import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import dev.rotor.api.auth.AuthProperties;
import dev.rotor.api.auth.AuthSettings;
import dev.rotor.gcp.CloudRunEnvironment;
import dev.rotor.gcp.FakesGuard;
import dev.rotor.gcp.Hosts;
import io.micronaut.context.BeanContext;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Whether Rotor can serve: it talks to Google and nothing else ({@link FakesGuard}, the JWKS), and every
 * Google client it needs can be constructed (configuration bound, endpoint
 * valid, credentials found). Constructing a gRPC client opens no connection, so this calls no Google API.
 * Once all are built the answer is cached: the clients are singletons and stay built.
 */
@Singleton
public class Readiness {
    private static final List<Class<?>> CLIENTS = List.of(SecretManagerServiceClient.class,
            KeyManagementServiceClient.class, IamCredentialsClient.class, IAMClient.class, ServicesClient.class);

    private final BeanContext context;
    private final AuthSettings auth;
    private final AuthProperties authProperties;
    private final FakesGuard fakes;
    private final CloudRunEnvironment runtime;
    private volatile boolean ready;
    private CompletableFuture<Optional<String>> clients;

    public Readiness(BeanContext context, AuthSettings auth, AuthProperties authProperties, FakesGuard fakes,
                     CloudRunEnvironment runtime) {
        this.context = context;
        this.auth = auth;
        this.authProperties = authProperties;
        this.fakes = fakes;
        this.runtime = runtime;
    }

    /** Starts building the clients as the context starts, unless readiness would refuse for another reason. */
    @EventListener
    void buildClientsAtStartup(StartupEvent event) {
        if (precondition().isEmpty()) {
            clients();
        }
    }

    /** Empty when ready, else a reason a person can act on. */
    public Optional<String> problem() {
        if (ready) {
            return Optional.empty();
        }
        Optional<String> precondition = precondition();
        if (precondition.isPresent()) {
            return precondition;
        }
        Optional<String> clientProblem = clients().join();
        if (clientProblem.isPresent()) {
            retryClients();
            return clientProblem;
        }
        ready = true;
        return Optional.empty();
    }

    private Optional<String> precondition() {
        Optional<String> notGoogle = fakes.problem().or(this::jwksProblem);
        if (notGoogle.isPresent()) {
            return notGoogle;
        }
        if (auth.audiences().isEmpty()) {
            return Optional.of("rotor.auth.audiences is not set: no /v1 call can be authenticated (set it to the "
                    + "service URL and any custom audiences)");
        }
        return Optional.empty();
    }

    /** The build under way or done; the first failing client in {@link #CLIENTS} order names the problem. */
    private synchronized CompletableFuture<Optional<String>> clients() {
        if (clients == null) {
            ExecutorService pool = Executors.newFixedThreadPool(
                    Math.min(CLIENTS.size(), Runtime.getRuntime().availableProcessors()),
                    Thread.ofPlatform().name("rotor-client-build-", 0).daemon().factory());
            List<CompletableFuture<Optional<String>>> each = CLIENTS.stream()
                    .map(client -> CompletableFuture.supplyAsync(() -> build(client), pool)).toList();
            clients = CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                    .thenApply(done -> each.stream().map(CompletableFuture::join).flatMap(Optional::stream).findFirst());
            clients.whenComplete((result, e) -> pool.shutdown());
        }
        return clients;
    }

    private synchronized void retryClients() {
        clients = null;
    }

    private Optional<String> build(Class<?> client) {
        try {
            context.getBean(client);
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(client.getSimpleName() + " cannot be built: " + rootMessage(e));
        }
    }

    /**
     * Cloud Scheduler's ID tokens are signed by Google, so on Cloud Run their keys must come from Google
     * (gcp-api-facts: JWKS {@code https://www.googleapis.com/oauth2/v3/certs}); off Cloud Run a loopback
     * issuer (the emulator) is allowed too.
     */
    private Optional<String> jwksProblem() {
        URI uri = URI.create(authProperties.jwksUri());
        String host = uri.getHost() == null ? "" : uri.getHost();
        boolean google = "https".equals(uri.getScheme()) && Hosts.isGoogle(host);
        if (google || (!runtime.onCloudRun() && Hosts.isLoopback(host))) {
            return Optional.empty();
        }
        return Optional.of("rotor.auth.jwks-uri=" + authProperties.jwksUri() + " is not Google's ("
                + AuthProperties.GOOGLE_JWKS + "): ID tokens from Cloud Scheduler and operators are signed by Google"
                + runtime.evidence().map(e -> ", and Rotor runs on Cloud Run (" + e + ")").orElse(""));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
