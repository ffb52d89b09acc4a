package dev.rotor.credential;

import dev.rotor.error.RemoteException;
import dev.rotor.policy.Kind;
import dev.rotor.policy.Policy;
import dev.rotor.secret.SecretRef;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code service-account-key}: a JSON key file of {@code rotor.service-account}. Every key an attempt makes is
 * recorded in the secret's state the moment Google returns its id ({@link MintContext.Made}), and the next
 * mint deletes exactly the recorded keys that were never committed, so repeated failures leak nothing and a
 * clean-up never touches another secret's key or a person's. At Google's limit of 10 keys, {@link KeyRoom}
 * deletes only keys Rotor itself retired. A new key is published only once it has been used to get an access
 * token; one that never works is deleted. A key made under {@code constraints/iam.serviceAccountKeyExpiryHours}
 * carries its {@code valid_before_time} as the version's expiry, so it is replaced before it stops working.
 */
@Singleton
public final class ServiceAccountKeyStrategy implements CredentialStrategy {
    /** Google's clock and ours may differ a little; a key this close before a lost create still counts. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(ServiceAccountKeyStrategy.class);
    private final ServiceAccountKeys keys;
    private final KeyVerifier verifier;
    private final TokenSettings settings;
    private final Sleeper sleeper;
    private final Clock clock;

    public ServiceAccountKeyStrategy(ServiceAccountKeys keys, KeyVerifier verifier, TokenSettings settings,
                                     Sleeper sleeper, Clock clock) {
        this.keys = keys;
        this.verifier = verifier;
        this.settings = settings;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    @Override
    public Kind kind() {
        return Kind.SERVICE_ACCOUNT_KEY;
    }

    @Override
    public Minted mint(SecretRef ref, Policy policy, MintContext context) {
        String sa = policy.serviceAccount().orElseThrow();
        List<ServiceAccountKeys.KeyInfo> existing = new ArrayList<>(keys.userManaged(sa));
        KeyRoom.make(keys, sa, existing, context.state());
        context.made().listed(existing.stream().map(ServiceAccountKeys.KeyInfo::id).collect(Collectors.toSet()));
        ServiceAccountKeys.CreatedKey created = create(sa, existing, context.made());
        try {
            context.made().made(created.id());
        } catch (RuntimeException e) {
            keys.delete(sa, created.id());
            throw new IllegalStateException("new key " + created.id() + " could not be recorded (" + e.getMessage()
                    + "); it is deleted", e);
        }
        LOG.info("created key {} for {}{}", created.id(), sa,
                created.validBefore().map(t -> ", valid before " + t).orElse(""));
        return new Minted(created.json(), Optional.of(created.id()), created.validBefore());
    }

    /** Deletes the keys earlier attempts recorded and never committed; keeps {@code adopted}, being adopted. */
    @Override
    public void undoUnpublished(Policy policy, MintContext context, Optional<String> adopted) {
        String sa = policy.serviceAccount().orElseThrow();
        Set<String> committed = Set.copyOf(context.state().keyIds().values());
        for (String id : context.state().pendingKeys()) {
            if (adopted.filter(id::equals).isPresent()) {
                continue;
            }
            if (!committed.contains(id)) {
                keys.delete(sa, id);
                LOG.info("deleted key {} of {}: an earlier attempt made it and never published it", id, sa);
            }
            context.made().undone(id);
        }
    }

    /**
     * CreateServiceAccountKey has no request id and is not retried (gcp-api-facts §4): after an ambiguous
     * failure a key may exist whose private half is lost. A key that was not there before and appeared since
     * the call began is that key: it is recorded and deleted. A list that lags may not show it yet; then it
     * is named in no record and stays until an operator or the audit finds it (docs/design.md).
     */
    private ServiceAccountKeys.CreatedKey create(String sa, List<ServiceAccountKeys.KeyInfo> before,
                                                 MintContext.Made made) {
        Instant started = clock.instant();
        try {
            return keys.create(sa);
        } catch (RemoteException.Retryable e) {
            Set<String> known = before.stream().map(ServiceAccountKeys.KeyInfo::id).collect(Collectors.toSet());
            List<String> lost = keys.userManaged(sa).stream().filter(k -> !known.contains(k.id()))
                    .filter(k -> !k.validAfter().isBefore(started.minus(CLOCK_SKEW)))
                    .map(ServiceAccountKeys.KeyInfo::id).toList();
            for (String id : lost) {
                made.made(id);
                keys.delete(sa, id);
                made.undone(id);
                LOG.info("deleted key {} of {}: the create's answer was lost, so its private key is unknown", id, sa);
            }
            throw e;
        }
    }

    @Override
    public void verify(Minted minted, Policy policy) {
        String keyId = minted.keyId().orElseThrow();
        try {
            Backoff.within(settings.keyVerifyBudget(), sleeper, e -> e instanceof KeyVerifier.NotWorking, () -> {
                verifier.verify(minted.payload());
                return null;
            });
        } catch (KeyVerifier.NotWorking e) {
            throw new IllegalStateException("new key " + keyId + " did not work within "
                    + settings.keyVerifyBudget().toSeconds() + " s (" + e.getMessage() + "); it is deleted");
        }
    }

    @Override
    public void discard(Minted minted, Policy policy) {
        String sa = policy.serviceAccount().orElseThrow();
        minted.keyId().ifPresent(id -> {
            try {
                keys.delete(sa, id);
            } catch (RuntimeException e) {
                LOG.warn("could not delete unverified key {} of {}: {}; it stays recorded and the next attempt "
                        + "deletes it", id, sa, e.getMessage());
            }
        });
    }

    /** The key's id is in the key file; its expiry is read from IAM (empty when the key does not show yet). */
    @Override
    public Minted adopt(byte[] payload, Policy policy, Instant since) {
        String keyId;
        try {
            Object id = ObjectMapper.getDefault().readValue(payload, Map.class).get("private_key_id");
            if (!(id instanceof String s)) {
                throw new IllegalStateException("the version to adopt holds no private_key_id");
            }
            keyId = s;
        } catch (IOException e) {
            throw new IllegalStateException("the version to adopt does not hold a JSON key file");
        }
        Optional<Instant> validBefore = keys.get(policy.serviceAccount().orElseThrow(), keyId)
                .flatMap(ServiceAccountKeys.KeyInfo::validBefore);
        return new Minted(payload, Optional.of(keyId), validBefore);
    }

    @Override
    public void retired(Policy policy, String keyId) {
        keys.disable(policy.serviceAccount().orElseThrow(), keyId);
    }

    @Override
    public void destroyed(Policy policy, String keyId) {
        keys.delete(policy.serviceAccount().orElseThrow(), keyId);
    }
}
