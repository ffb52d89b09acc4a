package dev.rotor.local;

import dev.rotor.local.faults.FaultInterceptor;
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
 * Rotor's embedded Google Cloud emulator: Secret Manager, Cloud KMS, IAM Admin, IAM Credentials and Cloud
 * Run Admin (with long-running operations), stateful and speaking the real gRPC protocols, served in-process
 * (for Rotor itself and tests) and, optionally, on a loopback port (for a user's own clients); plus the OAuth
 * token endpoint on loopback HTTP and a Google-like OIDC signer. Faults, latency and quotas apply to every
 * RPC; the clock is injected so tests can move time.
 */
public final class Emulator implements AutoCloseable {
    private final Clock clock;
    private final Faults faults;
    private final Quotas quotas;
    private final SecretManagerState secretManager;
    private final OidcIssuer oidc;
    private final IamState iam;
    private final TokenEndpoint tokenEndpoint;
    private final KmsState kms;
    private final CloudRunState cloudRun;
    private final String inProcessName = InProcessServerBuilder.generateName();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Server inProcess;
    private final Server loopback;
    private final ManagedChannel channel;

    private Emulator(Clock clock, long seed, Optional<Integer> loopbackPort) {
        this.clock = clock;
        this.faults = new Faults(seed);
        this.quotas = new Quotas(clock);
        this.secretManager = new SecretManagerState(clock);
        this.oidc = new OidcIssuer(clock);
        this.iam = new IamState(clock);
        this.tokenEndpoint = new TokenEndpoint(iam);
        this.kms = new KmsState(clock);
        this.cloudRun = new CloudRunState(clock);
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
    }

    /** An emulator reachable in-process only. */
    public static Emulator inProcess(Clock clock) {
        return new Emulator(clock, 1L, Optional.empty());
    }

    /** An emulator also listening on loopback; port 0 picks a free one. */
    public static Emulator withLoopback(Clock clock, int port) {
        return new Emulator(clock, 1L, Optional.of(port));
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
                ServerInterceptors.intercept(run.operations(), interceptor));
    }

    public ManagedChannel channel() {
        return channel;
    }

    /** The loopback address ({@code host:port}), when the emulator listens on one. */
    public Optional<String> loopbackAddress() {
        return Optional.ofNullable(loopback).map(s -> "127.0.0.1:" + s.getPort());
    }

    public Clock clock() {
        return clock;
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
        try {
            inProcess.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tokenEndpoint.close();
        executor.shutdownNow();
    }
}
