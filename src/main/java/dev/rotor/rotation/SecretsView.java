package dev.rotor.rotation;

import dev.rotor.policy.Due;
import dev.rotor.policy.Policy;
import dev.rotor.policy.RotationState;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import dev.rotor.secret.VersionInfo;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What operators see of the managed secrets (DESIGN §4): read from annotations; versions only for one. The
 * listing is cached for {@link ListingProperties#listingCacheTtl()} (default 5 s): a dashboard polling Rotor must not
 * spend the project's 600 reads a minute that rotations need (gcp-api-facts §1.9). This instance's own writes
 * show at once, through the cache and Secret Manager's eventually consistent lists alike ({@link OwnWrites}).
 */
@Singleton
public final class SecretsView {
    /**
     * One row of the listing. Times are RFC 3339.
     *
     * @param rolled   the version each consumer last confirmed serving ({@link RotationState#rolled()}); a
     *                 consumer that never confirmed one is absent
     * @param unrolled the declared consumers that do not serve {@code currentVersion} yet
     *                 ({@link RotationState#unrolled(List)}), in declaration order
     */
    @Serdeable
    public record Row(String project, String secret, @Nullable String kind, @Nullable Long currentVersion,
                      @Nullable Instant createdAt, @Nullable Instant expiresAt, @Nullable Instant nextDue,
                      @Nullable String lastOutcome, List<String> consumers, Map<String, Long> rolled,
                      List<String> unrolled) {
    }

    /** One secret in detail, with its versions (newest first) and aliases. */
    @Serdeable
    public record Detail(Row secret, List<VersionInfo> versions, Map<String, Long> aliases,
                         @Nullable String requestedBy, @Nullable String reason) {
    }

    private final SecretStore store;
    private final RotationProperties properties;
    private final Clock clock;
    private final OwnWrites ownWrites;
    private final long ttlNanos;
    private volatile Cached cached;

    private record Cached(List<ManagedSecret> secrets, List<Row> rows, long at) {
    }

    public SecretsView(SecretStore store, RotationProperties properties, Clock clock, OwnWrites ownWrites,
                       ListingProperties listing) {
        this.store = store;
        this.properties = properties;
        this.clock = clock;
        this.ownWrites = ownWrites;
        this.ttlNanos = listing.listingCacheTtl().toNanos();
    }

    public List<Row> list() {
        Cached c = listed();
        if (!ownWrites.any()) {
            return c.rows();
        }
        List<Row> rows = new ArrayList<>(c.rows().size());
        for (int i = 0; i < c.secrets().size(); i++) {
            ManagedSecret listed = c.secrets().get(i);
            ManagedSecret fresher = ownWrites.fresher(listed);
            rows.add(fresher == listed ? c.rows().get(i) : row(fresher));
        }
        return List.copyOf(rows);
    }

    private Cached listed() {
        Cached c = cached;
        if (c != null && System.nanoTime() - c.at() < ttlNanos) {
            return c;
        }
        synchronized (this) { // one refresh at a time: concurrent callers share its result
            c = cached;
            if (c != null && System.nanoTime() - c.at() < ttlNanos) {
                return c;
            }
            return refresh();
        }
    }

    private Cached refresh() {
        long now = System.nanoTime();
        List<ManagedSecret> secrets = new ArrayList<>();
        for (String project : properties.projects()) {
            secrets.addAll(store.listManaged(project));
        }
        Cached c = new Cached(List.copyOf(secrets), secrets.stream().map(this::row).toList(), now);
        cached = c;
        return c;
    }

    /** Throws {@link ManualRotation.Refused} for a secret Rotor does not manage. */
    public Detail one(SecretRef ref) {
        ManagedSecret s = store.get(ref);
        if (!s.managed()) {
            throw new ManualRotation.Refused(ref + " is not managed by Rotor: it lacks the label rotor=managed");
        }
        RotationState state = Declared.read(s).stateOrNew();
        return new Detail(row(s), store.versions(ref), StateFence.visible(s.aliases()), state.requestedBy(),
                state.reason());
    }

    private Row row(ManagedSecret s) {
        Declared d = Declared.read(s);
        RotationState state = d.stateOrNew();
        // refused as a run refuses it (RunService): a declaration or state that does not parse, CMEK without a key
        String refused = !d.ok() ? d.problem() : Declared.cmekMissing(d.policy(), s) ? Declared.CMEK_MISSING : null;
        if (refused != null) {
            Policy p = d.policy();
            return new Row(s.ref().project(), s.ref().secret(), p == null ? null : p.kind().label(), state.current(),
                    state.rotatedAt(), state.expiresAt(), null, SecretResult.MISCONFIGURED + ": " + refused,
                    List.of(), state.rolled(), List.of());
        }
        Policy p = d.policy();
        Instant nextDue = Due.evaluate(p, state, clock.instant()).nextDue().orElse(null);
        return new Row(s.ref().project(), s.ref().secret(), p.kind().label(), state.current(), state.rotatedAt(),
                state.expiresAt(), nextDue, state.lastOutcome(), p.consumers(), state.rolled(),
                state.unrolled(p.consumers()));
    }
}
