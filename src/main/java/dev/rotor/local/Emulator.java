package dev.rotor.local;

import dev.rotor.local.compute.ComputeApiServer;
import dev.rotor.local.compute.MigState;
import dev.rotor.local.faults.FaultInterceptor;
import dev.rotor.local.gke.ClusterManagerEmulator;
import dev.rotor.local.gke.KubeApiServer;
import dev.rotor.local.gke.KubeState;
import dev.rotor.local.iam.IamAdminEmulator;
import dev.rotor.local.iam.IamCredentialsEmulator;
import dev.rotor.local.iam.IamState;
import dev.rotor.local.iam.OidcIssuer;
import dev.rotor.local.iam.TokenEndpoint;
import dev.rotor.local.kms.KmsEmulator;
import dev.rotor.local.kms.KmsState;
import dev.rotor.local.run.CloudRunEmulator;
import dev.rotor.local.run.CloudRunState;
import dev.rotor.local.faults.Faults;
import dev.rotor.local.faults.Quotas;
import dev.rotor.local.secretmanager.SecretManagerEmulator;
import dev.rotor.local.secretmanager.SecretManagerRest;
import dev.rotor.local.secretmanager.SecretManagerState;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Rotor's embedded Google Cloud emulator: Secret Manager, Cloud KMS, IAM Admin, IAM Credentials, Cloud
 * Run Admin (with long-running operations) and GKE's cluster manager, with a Kubernetes API server for its
 * clusters on loopback HTTPS, and Compute's managed instance groups over loopback HTTP (REST only); stateful
 * and speaking the real gRPC protocols, served in-process (for Rotor itself and tests) and, optionally, on a
 * loopback port (for a user's own clients, with Secret Manager's REST surface for gcloud on a loopback HTTP
 * port); plus the OAuth token endpoint on loopback HTTP and a Google-like OIDC signer. Faults, latency and
 * quotas apply to every gRPC call; the clock is injected so tests can move time. Every project has a number as
 * on Google ({@link Projects}). What is modelled, with sources, is listed in {@code docs/emulator.md}.
 */
public final class Emulator implements AutoCloseable {
    private final Clock clock;
    private final Projects projects = new Projects();
    private final Faults faults;
    private final Quotas quotas;
    private final SecretManagerState secretManager;
    private final OidcIssuer oidc;
    private final IamState iam;
    private final TokenEndpoint tokenEndpoint;
    private final KmsState kms;
    private final CloudRunState cloudRun;
    private final KubeState kube;
    private final KubeApiServer kubeApi;
    private final ClusterManagerEmulator gke;
    private final MigState migs;
    private final ComputeApiServer compute;
    private final String inProcessName = InProcessServerBuilder.generateName();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Server inProcess;
    private final Server loopback;
    private final EmulatorHttp http;
    private final ManagedChannel channel;

    private Emulator(Clock clock, long seed, Optional<Integer> loopbackPort, Optional<Integer> httpPort) {
        this.clock = clock;
        this.faults = new Faults(seed);
        this.quotas = new Quotas(clock, projects::number);
        this.secretManager = new SecretManagerState(clock, projects);
        this.oidc = new OidcIssuer(clock);
        this.iam = new IamState(clock);
        this.tokenEndpoint = new TokenEndpoint(iam);
        this.kms = new KmsState(clock);
        this.cloudRun = new CloudRunState(clock);
        this.kube = new KubeState(clock);
        this.kubeApi = new KubeApiServer(kube, clock);
        this.gke = new ClusterManagerEmulator(kubeApi);
        this.migs = new MigState(clock);
        this.compute = new ComputeApiServer(migs);
        List<ServerServiceDefinition> services = services();
        try {
            InProcessServerBuilder in = InProcessServerBuilder.forName(inProcessName).executor(executor);
            services.forEach(in::addService);
            this.inProcess = in.build().start();
            if (loopbackPort.isPresent()) {
                NettyServerBuilder net = NettyServerBuilder
                        .forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), loopbackPort.get()))
                        .executor(executor);
                services.forEach(net::addService);
                this.loopback = net.build().start();
            } else {
                this.loopback = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the emulator could not start its gRPC server: " + e.getMessage(), e);
        }
        this.channel = InProcessChannelBuilder.forName(inProcessName).executor(executor).build();
        this.http = httpPort.map(p -> new EmulatorHttp(p, new SecretManagerRest(secretManager), oidc, executor))
                .orElse(null);
    }

    /** An emulator reachable in-process only. */
    public static Emulator inProcess(Clock clock) {
        return new Emulator(clock, 1L, Optional.empty(), Optional.empty());
    }

    /** An emulator also listening on loopback: gRPC on {@code port} (0 picks a free one), HTTP on any free port. */
    public static Emulator withLoopback(Clock clock, int port) {
        return new Emulator(clock, 1L, Optional.of(port), Optional.of(0));
    }

    /** An emulator on loopback gRPC {@code grpcPort} and HTTP {@code httpPort} (0: a free one), as EmulatorMain runs it. */
    public static Emulator standalone(Clock clock, int grpcPort, int httpPort) {
        return new Emulator(clock, 1L, Optional.of(grpcPort), Optional.of(httpPort));
    }

    private List<ServerServiceDefinition> services() {
        FaultInterceptor interceptor = new FaultInterceptor(faults, quotas, QuotaCategories::of,
                QuotaCategories::perResource);
        CloudRunEmulator run = new CloudRunEmulator(cloudRun);
        return List.of(ServerInterceptors.intercept(new SecretManagerEmulator(secretManager), interceptor),
                ServerInterceptors.intercept(new IamCredentialsEmulator(iam, oidc), interceptor),
                ServerInterceptors.intercept(new IamAdminEmulator(iam, tokenEndpoint::uri),
                        interceptor),
                ServerInterceptors.intercept(new KmsEmulator(kms).definition(), interceptor),
                ServerInterceptors.intercept(run, interceptor),
                ServerInterceptors.intercept(run.operations(), interceptor),
                ServerInterceptors.intercept(gke, interceptor));
    }

    public ManagedChannel channel() {
        return channel;
    }

    /** The loopback address ({@code host:port}), when the emulator listens on one. */
    public Optional<String> loopbackAddress() {
        return Optional.ofNullable(loopback).map(s -> "127.0.0.1:" + s.getPort());
    }

    /**
     * The loopback HTTP base URL ({@code http://127.0.0.1:P/}), when the emulator listens on loopback: Secret
     * Manager's REST surface (for gcloud) and the OIDC issuer's {@code /emulator/id-token} and {@code /emulator/jwks}.
     */
    public Optional<String> httpUrl() {
        return Optional.ofNullable(http).map(EmulatorHttp::baseUrl);
    }

    public Clock clock() {
        return clock;
    }

    /** Project ids and numbers (Secret Manager answers with numbers). */
    public Projects projects() {
        return projects;
    }

    public Faults faults() {
        return faults;
    }

    public Quotas quotas() {
        return quotas;
    }

    public SecretManagerState secretManager() {
        return secretManager;
    }

    /** Cloud Run services, revisions and their operations. */
    public CloudRunState cloudRun() {
        return cloudRun;
    }

    /** GKE clusters (GetCluster): register one before its Deployments are used. */
    public ClusterManagerEmulator gke() {
        return gke;
    }

    /** The emulated clusters' Deployments and disruption budgets, served over HTTPS by {@link KubeApiServer}. */
    public KubeState kube() {
        return kube;
    }

    /** The emulated clusters' API server (its CA, for a kubeconfig). */
    public KubeApiServer kubeApi() {
        return kubeApi;
    }

    /** Managed instance groups, served over loopback HTTP by {@link ComputeApiServer}. */
    public MigState migs() {
        return migs;
    }

    /** The Compute REST endpoint ({@code http://127.0.0.1:port}). */
    public String computeEndpoint() {
        return compute.endpoint();
    }

    /** Key rings, crypto keys and their versions. */
    public KmsState kms() {
        return kms;
    }

    /** Service accounts, keys and token-creator grants. */
    public IamState iam() {
        return iam;
    }

    /** The OAuth token endpoint's URL (loopback HTTP), the {@code token_uri} of every emulated key file. */
    public String tokenUri() {
        return tokenEndpoint.uri();
    }

    /** The emulated Google OIDC signer: ID tokens and their JWKS. */
    public OidcIssuer oidc() {
        return oidc;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        inProcess.shutdownNow();
        if (loopback != null) {
            loopback.shutdownNow();
        }
        if (http != null) {
            http.close();
        }
        try {
            inProcess.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tokenEndpoint.close();
        kubeApi.close();
        compute.close();
        executor.shutdownNow();
    }
}
