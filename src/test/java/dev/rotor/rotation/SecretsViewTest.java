package dev.rotor.rotation;

import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import dev.rotor.policy.Declaration;
import dev.rotor.policy.Due;
import dev.rotor.policy.Policy;
import dev.rotor.policy.PolicyParser;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import dev.rotor.secret.VersionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What operators see of the managed secrets ({@link SecretsView}) on one emulated Rotor: a listing reused for
 * its TTL that still shows this instance's own writes at once, rows that say what the state records (and
 * refuse what a run refuses, with the reason), and one secret in detail with its versions and only the aliases
 * consumers use.
 */
class SecretsViewTest {
    private static final String MISSING_SERVICE = ConsumersTest.PARENT + "/services/missing";
    private static Engine engine;

    @BeforeAll
    static void start() {
        engine = new Engine();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static SecretsView view(Duration ttl) {
        return view(engine.env.bean(SecretStore.class), ttl);
    }

    private static SecretsView view(SecretStore store, Duration ttl) {
        return new SecretsView(store, engine.env.bean(RotationProperties.class), engine.env.bean(Clock.class),
                engine.env.bean(OwnWrites.class), new ListingProperties(ttl));
    }

    private static Optional<SecretsView.Row> row(List<SecretsView.Row> rows, String secret) {
        return rows.stream().filter(r -> r.secret().equals(secret)).findFirst();
    }

    @Test
    void aListingIsReusedForItsTtlYetShowsThisInstancesOwnWritesAtOnce() {
        SecretsView view = view(Duration.ofMinutes(10));
        engine.declare("cached-a", Map.of("rotor.kind", "generated"));
        assertNull(row(view.list(), "cached-a").orElseThrow().currentVersion());
        engine.declare("cached-b", Map.of("rotor.kind", "generated"));
        assertTrue(row(view.list(), "cached-b").isEmpty(), "a secret made since is shown once the listing expires");
        engine.run();
        List<SecretsView.Row> rows = view.list();
        assertEquals(1L, row(rows, "cached-a").orElseThrow().currentVersion(), "this instance's rotation, at once");
        assertEquals("rotated", row(rows, "cached-a").orElseThrow().lastOutcome());
        assertTrue(row(rows, "cached-b").isEmpty(), "still the cached listing");
    }

    @Test
    void withoutATtlEveryCallListsAgain() {
        SecretsView view = view(Duration.ZERO);
        engine.declare("fresh-a", Map.of("rotor.kind", "generated"));
        assertTrue(row(view.list(), "fresh-a").isPresent());
        engine.declare("fresh-b", Map.of("rotor.kind", "generated"));
        assertTrue(row(view.list(), "fresh-b").isPresent());
    }

    /**
     * Two callers of an expired listing: the second waits for the first one's refresh and shares it. The store
     * is the real one, with its first listing held until the second caller waits at the refresh.
     */
    @Test
    void aCallerThatWaitedForAnotherCallersRefreshSharesItsListing() throws Exception {
        engine.declare("shared", Map.of("rotor.kind", "generated"));
        SecretStore real = engine.env.bean(SecretStore.class);
        AtomicInteger listings = new AtomicInteger();
        CountDownLatch listing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SecretStore held = (SecretStore) Proxy.newProxyInstance(SecretStore.class.getClassLoader(),
                new Class<?>[] {SecretStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("listManaged") && listings.incrementAndGet() == 1) {
                        listing.countDown();
                        assertTrue(release.await(30, TimeUnit.SECONDS), "released");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        SecretsView view = view(held, Duration.ofMinutes(10));
        AtomicReference<List<SecretsView.Row>> first = new AtomicReference<>();
        AtomicReference<List<SecretsView.Row>> second = new AtomicReference<>();
        Thread a = Thread.ofPlatform().start(() -> first.set(view.list()));
        assertTrue(listing.await(30, TimeUnit.SECONDS), "the first caller lists");
        Thread b = Thread.ofPlatform().start(() -> second.set(view.list()));
        while (b.isAlive() && !waitsAtTheRefresh(b)) {
            Thread.onSpinWait(); // until the second caller waits at the refresh the first one holds
        }
        release.countDown();
        a.join();
        b.join();
        assertEquals(1, listings.get(), "one listing for both callers");
        assertTrue(row(second.get(), "shared").isPresent());
        assertEquals(first.get(), second.get());
    }

    private static boolean waitsAtTheRefresh(Thread t) {
        return t.getState() == Thread.State.BLOCKED && java.util.Arrays.stream(t.getStackTrace())
                .anyMatch(f -> f.getClassName().equals(SecretsView.class.getName()) && f.getMethodName().equals("listed"));
    }

    @Test
    void aRowSaysWhatTheStateRecordsAndWhichConsumersHaveNotRolled() {
        engine.declare("rows-db", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D",
                "rotor.consumers", "run:" + MISSING_SERVICE));
        engine.run();
        var state = engine.state("rows-db");
        SecretsView.Row r = row(view(Duration.ZERO).list(), "rows-db").orElseThrow();
        assertEquals(Engine.PROJECT, r.project());
        assertEquals("generated", r.kind());
        assertEquals(1L, r.currentVersion());
        assertEquals(state.rotatedAt(), r.createdAt());
        assertNotNull(r.createdAt());
        Policy policy = ((Declaration.Valid) PolicyParser.parse(engine.client.getSecret(Engine.name("rows-db"))
                .getAnnotationsMap())).policy();
        assertEquals(Due.evaluate(policy, state, engine.env.clock.instant()).nextDue().orElseThrow(), r.nextDue(),
                "the roll still owed is due");
        assertEquals(state.lastOutcome(), r.lastOutcome());
        assertTrue(r.lastOutcome().startsWith("failed"), r.lastOutcome());
        assertEquals(List.of("run:" + MISSING_SERVICE), r.consumers());
        assertEquals(List.of("run:" + MISSING_SERVICE), r.unrolled(), "the consumer that could not roll");
        assertEquals(Map.of(), r.rolled());
    }

    @Test
    void aSecretARunRefusesIsListedAsMisconfiguredWithTheReason() {
        engine.declare("rows-bad", Map.of("rotor.kind", "nonsense"));
        engine.declare("rows-cmek", Map.of("rotor.kind", "generated", "rotor.encryption", "cmek",
                "rotor.consumers", "run:" + MISSING_SERVICE));
        List<SecretsView.Row> rows = view(Duration.ZERO).list();
        SecretsView.Row bad = row(rows, "rows-bad").orElseThrow();
        assertNull(bad.kind());
        assertTrue(bad.lastOutcome().startsWith(SecretResult.MISCONFIGURED + ": "), bad.lastOutcome());
        assertTrue(bad.lastOutcome().contains("nonsense"), bad.lastOutcome());
        assertNull(bad.nextDue());
        SecretsView.Row cmek = row(rows, "rows-cmek").orElseThrow();
        assertEquals("generated", cmek.kind());
        assertEquals(SecretResult.MISCONFIGURED + ": " + Declared.CMEK_MISSING, cmek.lastOutcome());
        assertNull(cmek.nextDue(), "a run refuses it, so nothing is due");
        assertEquals(List.of(), cmek.consumers());
        assertEquals(List.of(), cmek.unrolled());
    }

    @Test
    void oneSecretInDetailHasItsVersionsNewestFirstAndOnlyTheAliasesConsumersUse() {
        engine.declare("detail-db", Map.of("rotor.kind", "generated"));
        engine.run();
        SecretRef ref = new SecretRef(Engine.PROJECT, "detail-db");
        engine.env.bean(ManualRotation.class).rotate(ref, "alice@example.com", "leaked", false);
        SecretsView.Detail d = view(Duration.ZERO).one(ref);
        assertEquals("detail-db", d.secret().secret());
        assertEquals(2L, d.secret().currentVersion());
        assertEquals(List.of(2L, 1L), d.versions().stream().map(VersionInfo::number).toList());
        assertEquals(Map.of("current", 2L, "previous", 1L), d.aliases(), "Rotor's fence is not shown");
        assertTrue(engine.rawAliases("detail-db").size() > 2, "the fence is there");
        assertEquals("alice@example.com", d.requestedBy());
        assertEquals("leaked", d.reason());
    }

    @Test
    void aSecretRotorDoesNotManageIsRefused() {
        engine.client.createSecret("projects/" + Engine.PROJECT, "unmanaged", Secret.newBuilder()
                .setReplication(Replication.newBuilder().setAutomatic(Replication.Automatic.getDefaultInstance()))
                .build());
        ManualRotation.Refused e = assertThrows(ManualRotation.Refused.class,
                () -> view(Duration.ZERO).one(new SecretRef(Engine.PROJECT, "unmanaged")));
        assertTrue(e.getMessage().contains("rotor=managed"), e.getMessage());
    }
}
