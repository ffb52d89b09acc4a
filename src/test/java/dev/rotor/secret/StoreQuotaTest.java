package dev.rotor.secret;

import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.protobuf.ByteString;
import dev.rotor.local.EmulatedContext;
import io.micronaut.context.event.ApplicationEventPublisher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Secret Manager adapter spends Google's quotas where Google counts them (gcp-api-facts §1.9,
 * https://cloud.google.com/secret-manager/quotas): every get and list against the project's read quota, every
 * add, update, enable, disable and destroy against its write quota, and AccessSecretVersion against neither (it has
 * a quota of its own, 90,000 a minute). Writes to one secret are spaced by its rate of 2 a second, and state changes
 * of one version by 1 a second, so the emulator with Google's per-resource rates on refuses none. Through the
 * official client against the emulator; a call that waits for the project quota is seen parked in
 * {@link QuotaLimiter} (and released), never timed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreQuotaTest {
    private static final String PROJECT = "demo-project";
    /** 2 a minute: a burst of 1 and one more a minute, so once the burst is spent every call waits. */
    private static final int TIGHT = 2;
    private EmulatedContext env;
    private SecretManagerServiceClient client;
    private int secrets;

    @BeforeAll
    void start() {
        env = new EmulatedContext();
        client = env.bean(SecretManagerServiceClient.class);
    }

    @AfterEach
    void ratesOff() {
        env.emulator.quotas().perResource(false);
    }

    @AfterAll
    void stop() {
        env.close();
    }

    private SecretManagerStore store(QuotaLimiter quota, WritePacing pacing, WritePacer pacer) {
        return new SecretManagerStore(client, quota, new Retrier(new RetryProperties(1, Duration.ZERO)), pacer, pacing,
                new ProjectNumbers());
    }

    /** A store whose project quotas are {@code writes} and {@code reads} a minute, with the burst already spent. */
    private SecretManagerStore quotaStore(int writes, int reads) {
        QuotaLimiter quota = new QuotaLimiter(new SecretManagerQuotaProperties(writes, reads));
        quota.write(PROJECT);
        quota.read(PROJECT);
        WritePacing unpaced = new WritePacing(0, 0, 0);
        return store(quota, unpaced, new WritePacer(unpaced, env.clock, d -> { }, ApplicationEventPublisher.noOp()));
    }

    /** A secret with one version, made with the client itself, so the store's quota is not spent on it. */
    private SecretRef secretWithAVersion() {
        String id = "quota" + (++secrets);
        client.createSecret("projects/" + PROJECT, id, Secret.newBuilder().setReplication(Replication.newBuilder()
                .setAutomatic(Replication.Automatic.getDefaultInstance())).build());
        client.addSecretVersion("projects/" + PROJECT + "/secrets/" + id, SecretPayload.newBuilder()
                .setData(ByteString.copyFromUtf8("one")).build());
        return new SecretRef(PROJECT, id);
    }

    /** The etag, read with the client itself. */
    private String etag(SecretRef ref) {
        return client.getSecret(ref.name()).getEtag();
    }

    /** Each of the store's calls by name, in an order that leaves every one valid. */
    private Map<String, Runnable> calls(SecretManagerStore store, SecretRef ref) {
        Map<String, Runnable> calls = new LinkedHashMap<>();
        calls.put("GetSecret", () -> store.get(ref));
        calls.put("ListSecrets", () -> store.listManaged(PROJECT));
        calls.put("GetSecretVersion", () -> store.version(ref, 1));
        calls.put("ListSecretVersions", () -> store.versions(ref));
        calls.put("AccessSecretVersion", () -> store.access(ref, 1));
        calls.put("AddSecretVersion", () -> store.addVersion(ref, "two".getBytes(StandardCharsets.UTF_8)));
        calls.put("UpdateSecret", () -> store.update(ref, etag(ref), Map.of("a", "b"), Map.of()));
        calls.put("DisableSecretVersion", () -> store.disable(ref, 1));
        calls.put("EnableSecretVersion", () -> store.enable(ref, 1));
        calls.put("DestroySecretVersion", () -> store.destroy(ref, 1));
        return calls;
    }

    /**
     * Runs {@code call} on a thread of its own and releases it whenever it is parked in {@link QuotaLimiter}; true
     * when it was. Any other wait (the gRPC call itself) is left alone.
     */
    private static boolean waitsForQuota(Runnable call) throws InterruptedException {
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                call.run();
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        boolean parked = false;
        while (t.isAlive()) {
            if (t.getState() == Thread.State.TIMED_WAITING && Arrays.stream(t.getStackTrace())
                    .anyMatch(f -> f.getClassName().equals(QuotaLimiter.class.getName()))) {
                parked = true;
                LockSupport.unpark(t);
            }
            Thread.onSpinWait();
        }
        t.join();
        if (failed.get() != null) {
            throw new AssertionError("the call failed", failed.get());
        }
        return parked;
    }

    /** The names of the calls that waited for the quota. */
    private static List<String> waiting(Map<String, Runnable> calls) throws InterruptedException {
        List<String> waited = new ArrayList<>();
        for (var call : calls.entrySet()) {
            if (waitsForQuota(call.getValue())) {
                waited.add(call.getKey());
            }
        }
        return waited;
    }

    @Test
    void everyStateChangeWaitsForTheProjectsWriteQuota() throws InterruptedException {
        SecretManagerStore store = quotaStore(TIGHT, 0);
        assertEquals(List.of("AddSecretVersion", "UpdateSecret", "DisableSecretVersion", "EnableSecretVersion",
                "DestroySecretVersion"), waiting(calls(store, secretWithAVersion())));
    }

    @Test
    void everyGetAndListWaitsForTheProjectsReadQuotaAndAccessForNeither() throws InterruptedException {
        SecretManagerStore store = quotaStore(0, TIGHT);
        assertEquals(List.of("GetSecret", "ListSecrets", "GetSecretVersion", "ListSecretVersions"),
                waiting(calls(store, secretWithAVersion())));
    }

    @Test
    void writesToOneSecretAndOneVersionAreSpacedWithinGooglesPerResourceRates() {
        List<Duration> waits = new ArrayList<>();
        WritePacing pacing = new WritePacing(WritePacing.DEFAULT_SECRET_WRITES, WritePacing.DEFAULT_VERSION_WRITES,
                WritePacing.DEFAULT_QUOTA_RETRIES);
        WritePacer pacer = new WritePacer(pacing, env.clock, d -> {
            waits.add(d);
            env.clock.advance(d);
        }, ApplicationEventPublisher.noOp());
        SecretManagerStore store = store(new QuotaLimiter(new SecretManagerQuotaProperties(0, 0)), pacing, pacer);
        SecretRef ref = secretWithAVersion();
        env.emulator.quotas().perResource(true);
        long rejected = env.emulator.quotas().rejected();
        store.addVersion(ref, "two".getBytes(StandardCharsets.UTF_8));
        store.addVersion(ref, "three".getBytes(StandardCharsets.UTF_8));
        store.update(ref, etag(ref), Map.of("a", "b"), Map.of());
        store.disable(ref, 1);
        store.enable(ref, 1);
        store.destroy(ref, 1);
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(1)),
                waits, "the second and third writes to the secret, the second and third changes of version 1");
        assertEquals(rejected, env.emulator.quotas().rejected(), "Google's per-resource rates refused none");
    }
}
