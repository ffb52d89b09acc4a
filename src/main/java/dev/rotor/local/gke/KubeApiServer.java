package dev.rotor.local.gke;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.api.model.ListMetaBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentListBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetListBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An emulated Kubernetes API server for every emulated GKE cluster, on loopback HTTPS: one port, the cluster
 * chosen by the path prefix {@code /clusters/<project>/<location>/<cluster>} that GetCluster puts in the
 * endpoint. It serves what Rotor and kubectl use for a rolling restart: legacy discovery, Deployments
 * (get, list, JSON and strategic merge patch, which agree on the annotation maps a restart changes) and
 * policy/v1 PodDisruptionBudgets, with {@link KubeState} modelling the controller. A request without a bearer
 * token gets 401, as an API server without anonymous access does.
 */
public final class KubeApiServer implements AutoCloseable {
    private static final Pattern CLUSTER = Pattern.compile("^/clusters/([^/]+)/([^/]+)/([^/]+)(/.*)$");
    private static final Pattern DEPLOYMENT = Pattern.compile("^/apis/apps/v1/namespaces/([^/]+)/deployments(?:/([^/]+))?$");
    private static final Pattern BUDGETS = Pattern.compile("^/apis/policy/v1/namespaces/([^/]+)/poddisruptionbudgets$");
    private final KubeState state;
    private final KubernetesSerialization json = new KubernetesSerialization();
    private final SelfSignedTls tls;
    private final HttpsServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public KubeApiServer(KubeState state, Clock clock) {
        this.state = state;
        this.tls = new SelfSignedTls(clock);
        try {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("the emulated GKE API server could not start: " + e.getMessage(), e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(tls.context));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code host:port/clusters/P/L/C}, the endpoint GetCluster returns for that cluster. */
    public String endpoint(String cluster) {
        String[] p = cluster.split("/");
        return "127.0.0.1:" + server.getAddress().getPort() + "/clusters/" + p[1] + "/" + p[3] + "/" + p[5];
    }

    public String caBase64Pem() {
        return tls.caBase64Pem;
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            Object body;
            int code = 200;
            try {
                body = answer(x);
            } catch (KubeState.ApiError e) {
                code = e.code;
                body = status(e.code, e.reason, e.getMessage());
            }
            send(x, code, body);
        }
    }

    private Object answer(HttpExchange x) throws IOException {
        String auth = x.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || auth.length() <= 7) {
            throw new KubeState.ApiError(401, "Unauthorized", "Unauthorized");
        }
        Matcher c = CLUSTER.matcher(x.getRequestURI().getPath());
        if (!c.matches()) {
            throw new KubeState.ApiError(404, "NotFound", "no emulated cluster at " + x.getRequestURI().getPath());
        }
        return route(x, "projects/" + c.group(1) + "/locations/" + c.group(2) + "/clusters/" + c.group(3), c.group(4));
    }

    private Object route(HttpExchange x, String cluster, String path) throws IOException {
        String method = x.getRequestMethod();
        Matcher d = DEPLOYMENT.matcher(path);
        if (d.matches() && d.group(2) != null && method.equals("GET")) {
            return state.get(cluster, d.group(1), d.group(2));
        }
        if (d.matches() && d.group(2) != null && method.equals("PATCH")) {
            String type = String.valueOf(x.getRequestHeaders().getFirst("Content-Type"));
            if (!type.startsWith("application/merge-patch+json") && !type.startsWith("application/strategic-merge-patch+json")) {
                throw new KubeState.ApiError(415, "UnsupportedMediaType", "the emulated API server takes merge "
                        + "patches only, not " + type);
            }
            return state.patch(cluster, d.group(1), d.group(2),
                    new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        }
        if (d.matches() && method.equals("GET")) {
            String name = fieldSelectorName(x.getRequestURI().getRawQuery());
            List<Deployment> items = state.list(cluster, d.group(1)).stream()
                    .filter(dep -> name == null || dep.getMetadata().getName().equals(name)).toList();
            return new DeploymentListBuilder().withItems(items).withMetadata(new ListMetaBuilder()
                    .withResourceVersion(items.stream().map(i -> i.getMetadata().getResourceVersion()).findFirst()
                            .orElse("1")).build()).build();
        }
        Matcher b = BUDGETS.matcher(path);
        if (b.matches() && method.equals("GET")) {
            return new PodDisruptionBudgetListBuilder().withItems(state.budgets(cluster, b.group(1))).build();
        }
        if (method.equals("GET")) {
            Object discovery = discovery(path);
            if (discovery != null) {
                return discovery;
            }
        }
        throw new KubeState.ApiError(404, "NotFound", "the emulated API server does not serve " + method + " " + path);
    }

    /** Legacy discovery (what kubectl falls back to when aggregated discovery is not offered). */
    private static Object discovery(String path) {
        return switch (path) {
            case "/api" -> new APIVersionsBuilder().withVersions("v1").build();
            case "/apis" -> new APIGroupListBuilder().withGroups(group("apps"), group("policy")).build();
            case "/api/v1" -> new APIResourceListBuilder().withGroupVersion("v1").build();
            case "/apis/apps/v1" -> new APIResourceListBuilder().withGroupVersion("apps/v1").withResources(
                    new APIResourceBuilder().withName("deployments").withKind("Deployment").withNamespaced(true)
                            .withShortNames("deploy").withSingularName("deployment")
                            .withVerbs("get", "list", "patch", "watch").build()).build();
            case "/apis/policy/v1" -> new APIResourceListBuilder().withGroupVersion("policy/v1").withResources(
                    new APIResourceBuilder().withName("poddisruptionbudgets").withKind("PodDisruptionBudget")
                            .withNamespaced(true).withShortNames("pdb").withSingularName("poddisruptionbudget")
                            .withVerbs("get", "list").build()).build();
            default -> null;
        };
    }

    private static io.fabric8.kubernetes.api.model.APIGroup group(String name) {
        var v = new GroupVersionForDiscoveryBuilder().withGroupVersion(name + "/v1").withVersion("v1").build();
        return new APIGroupBuilder().withName(name).withVersions(v).withPreferredVersion(v).build();
    }

    private static String fieldSelectorName(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String kv : rawQuery.split("&")) {
            String decoded = URLDecoder.decode(kv, StandardCharsets.UTF_8);
            if (decoded.startsWith("fieldSelector=metadata.name=")) {
                return decoded.substring("fieldSelector=metadata.name=".length());
            }
        }
        return null;
    }

    private static Object status(int code, String reason, String message) {
        return new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message).build();
    }

    private void send(HttpExchange x, int code, Object body) throws IOException {
        byte[] bytes = json.asJson(body).getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
