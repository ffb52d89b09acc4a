package dev.rotor.rotation;

import dev.rotor.consumer.Consumers;
import dev.rotor.credential.CredentialStrategy;
import dev.rotor.credential.MintContext;
import dev.rotor.credential.Minted;
import dev.rotor.error.RemoteException;
import dev.rotor.policy.Policy;
import dev.rotor.policy.RetirePlan;
import dev.rotor.policy.RotationState;
import dev.rotor.policy.RotationState.Phase;
import dev.rotor.secret.Envelopes;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import dev.rotor.secret.VersionInfo;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Carries one secret through claim, mint, verify, publish, commit, roll and retire (DESIGN §3). Progress is
 * recorded in {@code rotor.state} before every step that cannot be repeated blindly, so a run that dies
 * anywhere leaves a state the next run finishes: it adopts a version an interrupted attempt added rather
 * than adding a second one, and it never retires an old version before the new one is committed and its
 * consumers rolled.
 */
@Singleton
public final class Rotator {
    private static final Logger LOG = LoggerFactory.getLogger(Rotator.class);

    private final SecretStore store;
    private final Strategies strategies;
    private final Publisher publisher;
    private final Envelopes envelopes;
    private final Retirement retirement;
    private final Clock clock;
    private final RotationProperties properties;
    private final StepHook hook;
    private final Roller roller;
    private final FirstRotation first;

    Rotator(SecretStore store, Strategies strategies, Roller roller, Clock clock,
            RotationProperties properties, StepHook hook, Envelopes envelopes) {
        this.envelopes = envelopes;
        this.store = store;
        this.strategies = strategies;
        this.roller = roller;
        this.publisher = new Publisher(store);
        this.first = new FirstRotation(store, envelopes);
        this.retirement = new Retirement(store, strategies);
        this.clock = clock;
        this.properties = properties;
        this.hook = hook;
    }

    /**
     * Why a rotation was asked for: a run, or an operator's emergency rotation.
     *
     * @param mint a new credential is wanted even while a roll of the current one is pending (it is due, or an
     *             operator asked): a consumer that cannot roll never stops a rotation
     */
    public record Request(String runId, boolean revokePrevious, boolean mint) {
    }

    public SecretResult rotate(ManagedSecret secret, Policy policy, RotationState state, Request request) {
        long started = System.nanoTime();
        Attempt a = new Attempt(secret, policy, state, request);
        try {
            return a.run(started);
        } catch (RuntimeException e) { // one secret's failure never ends the run; an Error (a crash) does
            boolean expected = e instanceof RemoteException || e instanceof IllegalStateException
                    || e instanceof IllegalArgumentException;
            if (!expected) {
                LOG.error("unexpected failure rotating {}", secret.ref(), e);
            }
            String error = a.progressNote(expected ? e.getMessage()
                    : "unexpected " + e.getClass().getSimpleName() + " (see the log)");
            LOG.warn("rotation of {} failed: {}", secret.ref(), error);
            a.releaseAfterFailure(error);
            return a.result(SecretResult.FAILED, error, List.of(), started);
        }
    }

    /** Retirement alone, when {@code retireAt} has come and nothing else is due ({@link Retirement#alone}). */
    public SecretResult retireOnly(ManagedSecret secret, Policy policy, RotationState state) {
        return retirement.alone(secret, policy, state, clock.instant());
    }

    /** One attempt's progress, so every failure can say exactly what state it left. */
    private final class Attempt {
        private final SecretRef ref;
        private final Policy policy;
        private final RotationState before;
        private final Request request;
        private final CredentialStrategy strategy;
        /** No fence protects this rotation yet: see {@link FirstRotation}. */
        private final boolean unfenced;
        private ManagedSecret secret;
        private RotationState state;
        private boolean claimed;
        private Long added;
        private boolean committed;
        private List<VersionInfo> listedAtCommit;
        /** The write-ahead record of keys this attempt makes: written at once, etag-guarded like every write. */
        private final MintContext.Made made = new MintContext.Made() {
            @Override
            public void made(String keyId) {
                List<String> pending = new ArrayList<>(state.pendingKeys());
                pending.add(keyId);
                RotationState next = state.withPendingKeys(pending);
                secret = StateCodec.save(store, secret, next);
                state = next;
            }

            @Override
            public void undone(String keyId) {
                state = state.withPendingKeys(state.pendingKeys().stream().filter(k -> !k.equals(keyId)).toList());
            }

            @Override
            public void listed(Set<String> keyIds) {
                liveKeys = Set.copyOf(keyIds);
            }
        };
        /** The account's keys as the mint listed them; null when nothing listed them (no key was made). */
        private Set<String> liveKeys;

        Attempt(ManagedSecret secret, Policy policy, RotationState state, Request request) {
            this.ref = secret.ref();
            this.secret = secret;
            this.policy = policy;
            this.before = state;
            this.state = state;
            this.request = request;
            this.strategy = strategies.of(policy.kind());
            this.unfenced = FirstRotation.applies(secret, state) && state.sameIdentity(policy);
        }

        SecretResult run(long started) {
            Instant now = clock.instant();
            if (Declared.cmekMissing(policy, secret)) {
                throw new IllegalStateException(Declared.CMEK_MISSING);
            }
            roller.unsupported(policy.consumers()).ifPresent(reason -> {
                throw new IllegalStateException(reason);
            });
            hook.before(Step.CLAIM, ref);
            boolean rollOnly = before.phase() == Phase.ROLLING && !request.mint();
            // a version made under another declared credential is never adopted: the new declaration mints afresh
            Instant adoptSince = before.phase() == Phase.ROTATING && before.sameIdentity(policy)
                    ? before.claimedAt() : null;
            RotationState claim = (rollOnly ? before.withLease(request.runId(), now.plus(properties.lease()))
                    : before.claimed(request.runId(), UUID.randomUUID().toString(), now, now.plus(properties.lease())))
                    .revoking(before.revokePending() || request.revokePrevious()).identified(policy);
            try {
                secret = StateCodec.save(store, secret, claim);
            } catch (RemoteException.Conflict e) {
                return result(SecretResult.SKIPPED_LOCKED, null, List.of(), started);
            }
            state = claim;
            claimed = true;
            long version = rollOnly ? before.current() : publishAndCommit(adoptSince);
            List<Consumers.Outcome> rolled = roll(version);
            List<String> notRolled = rolled.stream().filter(o -> !o.ok()).map(Consumers.Outcome::target).toList();
            hook.before(Step.RETIRE, ref);
            List<String> consumers = rolled.isEmpty() ? policy.consumers() : consumersNow();
            Set<Long> held = state.held(consumers);
            boolean revoke = state.revokePending();
            // revocation does not wait for consumers; ordinary retirement spares what an unrolled consumer serves
            List<VersionInfo> versions = listedAtCommit != null ? listedAtCommit : store.versions(ref);
            RetirePlan plan = retirement.plan(versions, secret, policy, version, held, clock.instant(), revoke);
            String error = notRolled.isEmpty() ? null : "version " + version + " is current, but " + notRolled
                    + " did not roll; " + (held.isEmpty() ? "" : "versions " + held
                    + " they still serve stay enabled; ") + "the next run retries the roll";
            try {
                retirement.execute(secret, plan, revoke, policy, state.keyIds(), version);
            } catch (RemoteException e) {
                error = (error == null ? "version " + version + " is current, but" : error + "; and")
                        + " retiring versions " + plan.disable() + plan.destroy() + " failed: " + e.getMessage()
                        + "; they stay as they were and the next run retries";
                settle(state.unrolled(consumers).isEmpty(), error, clock.instant(), revoke);
                return result(SecretResult.FAILED, error, rolled, started);
            }
            if (state.phase() != Phase.IDLE || revoke || !plan.isEmpty()) {
                settle(state.unrolled(consumers).isEmpty(), error, plan.nextDue().orElse(null), false);
            }
            return result(error == null ? SecretResult.ROTATED : SecretResult.FAILED, error, rolled, started);
        }

        /** Gives the lease back with what is left to do: the roll (phase ROLLING), retirement ({@code retireAt}). */
        private void settle(boolean allRolled, String error, Instant retireAt, boolean revokeStillPending) {
            RotationState done = state.settled(allRolled ? Phase.IDLE : Phase.ROLLING,
                    error == null ? "rotated" : "failed: " + truncate(error), retireAt, revokeStillPending);
            try {
                secret = StateCodec.save(store, secret, done);
                state = done;
            } catch (RemoteException.Conflict e) {
                // While the lease is ours, the other writer was not Rotor (Terraform, say): write on a fresh read.
                // Once a commit with retirement due at once released it, another run may have retired beside this
                // one (harmless) and written first: the commit stands and the next run re-plans what is left.
                Optional<ManagedSecret> fresh = StateCodec.saveIfStillHeld(store, ref, state, done);
                if (fresh.isPresent()) {
                    secret = fresh.get();
                    state = done;
                } else if (error == null && !commitStands()) {
                    throw e;
                } else {
                    LOG.info("{} changed after version {} was committed; the next run re-plans what is left: {}",
                            ref, state.current(), e.getMessage());
                }
            } catch (RuntimeException e) {
                if (error == null) {
                    throw e;
                }
                LOG.warn("could not record the outcome on {}; its lease expires by itself and the daily audit finds "
                        + "what is left: {}", ref, e.getMessage());
            }
        }

        /** The secret as it is now still records this attempt's version as current (the fence says so). */
        private boolean commitStands() {
            return committed && state.current().equals(StateCodec.read(store.get(ref)).current());
        }

        private long publishAndCommit(Instant adoptSince) {
            hook.before(Step.ADOPT, ref);
            Minted minted = null;
            MintContext context = new MintContext(state, adoptSince, made);
            Long version = adoptSince == null ? null
                    : publisher.findLanded(ref, before.current(), adoptSince).orElse(null);
            FirstRotation.Found existing = unfenced ? first.found(ref) : null;
            if (version != null) {
                minted = strategy.adopt(envelopes.open(ref, policy, store.access(ref, version)), policy, adoptSince);
                strategy.verify(minted, policy);
            } else if (unfenced && existing.newestEnabled().isPresent()) {
                minted = first.adopt(ref, policy, strategy, existing.newestEnabled().get());
                version = minted == null ? null : existing.newestEnabled().get();
            }
            if (version != null) {
                strategy.undoUnpublished(policy, context, minted.keyId());
                LOG.info("adopting version {} of {} added by an interrupted attempt", version, ref);
            } else {
                strategy.undoUnpublished(policy, context, Optional.empty());
                hook.before(Step.MINT, ref);
                minted = strategy.mint(ref, policy, context);
                hook.before(Step.VERIFY, ref);
                try {
                    strategy.verify(minted, policy);
                } catch (RuntimeException e) {
                    strategy.discard(minted, policy);
                    throw e;
                }
                hook.before(Step.PUBLISH, ref);
                byte[] stored = envelopes.seal(ref, policy, minted.payload());
                version = publisher.publish(ref, stored, before.current(), state.claimedAt());
                if (unfenced) {
                    first.yieldToEarlier(ref, policy, strategy, existing.highest(), version, minted);
                }
                added = version;
                hook.before(Step.READBACK, ref);
                publisher.readBack(ref, version, stored);
            }
            added = version;
            hook.before(Step.COMMIT, ref);
            commit(version, minted);
            return version;
        }

        /** A version without a recorded key id has none to keep (the immutable set refuses to look up null). */
        private boolean listed(String keyId) {
            return keyId != null && liveKeys.contains(keyId);
        }

        private void commit(long version, Minted minted) {
            Instant now = clock.instant();
            // Plan retirement now, as it will be once this version is current, so the commit records truthfully
            // whether retirement is due now (a crash before it is then finished by the next run) or when.
            List<VersionInfo> versions = store.versions(ref);
            // key ids of destroyed versions are dropped: the state annotation must stay small (16 KiB in all)
            Map<String, String> keyIds = new HashMap<>();
            // and so are those of retired versions whose keys the mint no longer saw (deleted to make room, or by
            // someone else): bounded by IAM's 10 keys, not by how many versions rotor.retain keeps. An enabled
            // version's key is kept even if a lagging list missed it.
            versions.stream().filter(v -> v.state() != VersionInfo.State.DESTROYED)
                    .filter(v -> v.enabled() || liveKeys == null || listed(state.keyIds().get(Long.toString(v.number()))))
                    .map(v -> Long.toString(v.number())).filter(state.keyIds()::containsKey)
                    .forEach(v -> keyIds.put(v, state.keyIds().get(v)));
            minted.keyId().ifPresent(id -> keyIds.put(Long.toString(version), id));
            // each declared consumer keeps the version it last served until it confirms the new one
            Map<String, Long> served = new HashMap<>();
            for (String c : policy.consumers()) {
                Long v = state.rolled().getOrDefault(c, before.current());
                if (v != null) {
                    served.put(c, v);
                }
            }
            RotationState held = state.withRolled(served);
            RetirePlan plan = retirement.plan(versions, secret, policy, version, Set.copyOf(served.values()), now,
                    state.revokePending());
            // Consumers to roll keep the lease and the ROLLING phase, so a crash before they serve the new version
            // is resumed; so does a revoke, which must not be lost.
            Phase next = policy.consumers().isEmpty() && !state.revokePending() ? Phase.IDLE : Phase.ROLLING;
            RotationState target = held.committed(version, now, minted.expiresAt().orElse(null), keyIds, next,
                    plan.isEmpty() ? plan.nextDue().orElse(null) : now);
            Map<String, Long> aliases = new HashMap<>(secret.aliases());
            aliases.put("current", version);
            if (before.current() != null && before.current() != version) {
                aliases.put("previous", before.current());
            }
            secret = publisher.commit(ref, secret.etag(), StateCodec.write(secret.annotations(), target),
                    StateCodec.aliases(aliases, target), target);
            state = target;
            committed = true;
            listedAtCommit = versions;
        }

        /**
         * Rolls take minutes, and the declaration may change meanwhile: retirement goes by the consumers declared
         * now (docs/design.md §3 step 7), carrying on from a write that left this lease ours.
         */
        private List<String> consumersNow() {
            ManagedSecret fresh = store.get(ref);
            if (StateCodec.stillHeld(fresh, state)) {
                secret = fresh;
            }
            return Declared.consumers(fresh, policy);
        }

        private List<Consumers.Outcome> roll(long version) {
            List<String> targets = state.unrolled(policy.consumers());
            if (targets.isEmpty()) {
                return List.of();
            }
            hook.before(Step.ROLL, ref);
            LeaseKeeper lease = new LeaseKeeper(store, clock, properties.lease(), secret, state);
            List<Consumers.Outcome> outcomes = roller.roll(targets, policy, ref, version, lease::renewIfDue);
            secret = lease.secret();
            state = lease.state();
            Map<String, Long> served = new HashMap<>(state.rolled());
            served.keySet().retainAll(policy.consumers());
            outcomes.stream().filter(Consumers.Outcome::ok).forEach(o -> served.put(o.target(), version));
            state = state.withRolled(served);
            return outcomes;
        }

        /** Gives the lease back with the outcome recorded, so the next run resumes at once. Best effort. */
        void releaseAfterFailure(String error) {
            if (!claimed) {
                return;
            }
            try {
                RotationState failed = state.failed("failed: " + truncate(error));
                try {
                    secret = StateCodec.save(store, secret, failed);
                } catch (RemoteException.Conflict e) { // Terraform cleared the aliases, say: the lease is still ours
                    secret = StateCodec.saveIfStillHeld(store, secret.ref(), state, failed).orElseThrow(() -> e);
                }
            } catch (RuntimeException e) {
                LOG.warn("could not record the failure on {}; its lease expires by itself: {}", ref, e.getMessage());
            }
        }

        String progressNote(String cause) {
            String current = before.current() == null ? "none" : before.current().toString();
            if (committed) {
                return cause + "; version " + state.current() + " is committed as current";
            }
            if (added != null) {
                return cause + "; version " + added + " was added but not committed, current stays " + current
                        + ", and the next run adopts version " + added;
            }
            return cause + "; nothing was published, current stays " + current;
        }

        SecretResult result(String outcome, String error, List<Consumers.Outcome> rolled, long started) {
            return new SecretResult(ref.project(), ref.secret(), policy.kind().label(),
                    before.phase() == Phase.IDLE || request.mint() && before.phase() == Phase.ROLLING ? "rotate"
                            : "resume", outcome, before.current(),
                    committed || claimed && before.phase() == Phase.ROLLING && !request.mint() ? state.current() : null,
                    rolled, error, (System.nanoTime() - started) / 1_000_000);
        }
    }

    private static String truncate(String s) {
        return s == null ? "" : s.length() > 500 ? s.substring(0, 500) : s;
    }
}
