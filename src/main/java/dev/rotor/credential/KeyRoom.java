package dev.rotor.credential;

import dev.rotor.error.RemoteException;
import dev.rotor.policy.RotationState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Room for one more key under Google's hard limit of 10 user-managed keys per service account (gcp-api-facts
 * §4, disabled keys count). Only keys Rotor made for this secret and has already retired may go: retirement
 * disables a version's key together with the version, so a key that is still enabled may still be in use
 * (with {@code rotor.keep-enabled} of 3 or more, versions older than the previous stay enabled). The current
 * and previous versions' keys are never deleted, even when disabled out of band: an operator may re-enable
 * them. Anything else in the way is named in the error, and nothing is created.
 */
final class KeyRoom {
    static final int KEY_LIMIT = 10;
    private static final Logger LOG = LoggerFactory.getLogger(KeyRoom.class);

    private KeyRoom() {
    }

    static void make(ServiceAccountKeys keys, String sa, List<ServiceAccountKeys.KeyInfo> existing,
                     RotationState state) {
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
                .filter(k -> versionOfKey.containsKey(k.id()) && k.disabled() && !kept.contains(k.id()))
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
            String inTheWay = existing.stream().map(k -> k.id() + describe(k, versionOfKey, kept)
                    + " created " + k.validAfter()).collect(Collectors.joining(", "));
            throw new RemoteException.FailedPrecondition(sa + " has " + existing.size() + " user-managed keys, Google's "
                    + "limit is " + KEY_LIMIT + ", and Rotor may delete none of them: " + inTheWay
                    + ". Delete keys Rotor did not make, or lower rotor.keep-enabled; nothing was created", null);
        }
    }

    private static String describe(ServiceAccountKeys.KeyInfo k, Map<String, String> versionOfKey, Set<String> kept) {
        String version = versionOfKey.get(k.id());
        if (version == null) {
            return " (not made by Rotor for this secret)";
        }
        return " (Rotor's, version " + version + (kept.contains(k.id()) ? ", current or previous)" : ", still enabled)");
    }
}
