package dev.rotor.credential;

import dev.rotor.policy.Kind;
import dev.rotor.policy.Policy;
import dev.rotor.policy.RotationState;
import dev.rotor.error.RemoteException;
import dev.rotor.secret.SecretRef;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code service-account-key}: a JSON key file of {@code rotor.service-account}. Before minting it undoes
 * keys an interrupted attempt made but never published, and at Google's limit of 10 keys it deletes keys
 * Rotor made for retired versions, oldest first; it never touches a key Rotor did not make. A new key is
 * published only once it has been used to get an access token; one that never works is deleted.
 */
@Singleton
public final class ServiceAccountKeyStrategy implements CredentialStrategy {
    static final int KEY_LIMIT = 10;
    private static final Logger LOG = LoggerFactory.getLogger(ServiceAccountKeyStrategy.class);
    private final ServiceAccountKeys keys;
    private final KeyVerifier verifier;
    private final TokenSettings settings;
    private final Sleeper sleeper;

    public ServiceAccountKeyStrategy(ServiceAccountKeys keys, KeyVerifier verifier, TokenSettings settings,
                                     Sleeper sleeper) {
        this.keys = keys;
        this.verifier = verifier;
        this.settings = settings;
        this.sleeper = sleeper;
    }

    @Override
    public Kind kind() {
        return Kind.SERVICE_ACCOUNT_KEY;
    }

    @Override
    public Minted mint(SecretRef ref, Policy policy, MintContext context) {
        String sa = policy.serviceAccount().orElseThrow();
        List<ServiceAccountKeys.KeyInfo> existing = new ArrayList<>(keys.userManaged(sa));
        Set<String> published = new HashSet<>(context.state().keyIds().values());
        if (context.resumeSince() != null) {
            Instant since = context.resumeSince().minus(Duration.ofMinutes(1));
            for (ServiceAccountKeys.KeyInfo k : List.copyOf(existing)) {
                if (!published.contains(k.id()) && !k.validAfter().isBefore(since)) {
                    keys.delete(sa, k.id());
                    existing.remove(k);
                    LOG.info("deleted key {} of {}: an interrupted attempt made it and never published it", k.id(), sa);
                }
            }
        }
        makeRoom(sa, existing, context.state());
        ServiceAccountKeys.CreatedKey created = keys.create(sa);
        LOG.info("created key {} for {}", created.id(), sa);
        return new Minted(created.json(), Optional.of(created.id()), Optional.empty());
    }

    /** At the limit, deletes Rotor's own keys of retired versions (not current, not previous), oldest first. */
    private void makeRoom(String sa, List<ServiceAccountKeys.KeyInfo> existing, RotationState state) {
        if (existing.size() < KEY_LIMIT) {
            return;
        }
        Map<String, String> versionOfKey = state.keyIds().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey, (a, b) -> a));
        Set<String> kept = new HashSet<>();
        for (Long v : new Long[] {state.current(), state.previous()}) {
            if (v != null && state.keyIds().containsKey(v.toString())) {
                kept.add(state.keyIds().get(v.toString()));
            }
        }
        List<ServiceAccountKeys.KeyInfo> deletable = existing.stream()
                .filter(k -> versionOfKey.containsKey(k.id()) && !kept.contains(k.id()))
                .sorted(Comparator.comparing(ServiceAccountKeys.KeyInfo::validAfter)).toList();
        for (ServiceAccountKeys.KeyInfo k : deletable) {
            if (existing.size() < KEY_LIMIT) {
                break;
            }
            keys.delete(sa, k.id());
            existing.remove(k);
            LOG.info("deleted key {} of {} (version {}, retired) to stay under Google's limit of {} keys", k.id(), sa,
                    versionOfKey.get(k.id()), KEY_LIMIT);
        }
        if (existing.size() >= KEY_LIMIT) {
            String inTheWay = existing.stream().map(k -> k.id() + (versionOfKey.containsKey(k.id())
                    ? " (Rotor's, version " + versionOfKey.get(k.id()) + ", still in use)" : " (not made by Rotor)")
                    + " created " + k.validAfter()).collect(Collectors.joining(", "));
            throw new RemoteException.FailedPrecondition(sa + " has " + existing.size() + " user-managed keys, Google's "
                    + "limit is " + KEY_LIMIT + ", and Rotor may delete none of them: " + inTheWay
                    + ". Delete keys Rotor did not make, or lower rotor.keep-enabled; nothing was created", null);
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
                LOG.warn("could not delete unverified key {} of {}: {}; the next attempt or the audit removes it",
                        id, sa, e.getMessage());
            }
        });
    }

    @Override
    public Minted adopt(byte[] payload, Policy policy, Instant since) {
        try {
            Object id = ObjectMapper.getDefault().readValue(payload, Map.class).get("private_key_id");
            if (!(id instanceof String keyId)) {
                throw new IllegalStateException("the version to adopt holds no private_key_id");
            }
            return new Minted(payload, Optional.of(keyId), Optional.empty());
        } catch (IOException e) {
            throw new IllegalStateException("the version to adopt does not hold a JSON key file");
        }
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
