package dev.rotor.rotation;

import dev.rotor.policy.RotationState;
import dev.rotor.policy.RotationState.Phase;
import io.micronaut.core.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The part of Rotor's state that must survive an external write of the annotations, kept in the secret's
 * version aliases, which neither Terraform (the module ignores {@code version_aliases}) nor
 * {@code gcloud secrets update --update-annotations} writes. An alias maps a name to a version number
 * (gcp-api-facts §1.4: at most 63 characters of {@code [A-Za-z0-9_-]}, starting with a letter, at most 50
 * a secret), so the facts are spelled in the name:
 * <ul>
 *   <li>{@code current} and {@code previous}, as consumers use them;</li>
 *   <li>the fence {@code rotor-s<phase>-<lease>-<claimed>-<rotated>-<expires>-<crc>}, pointing at the
 *       current version: the phase and revoke flag as one digit, four instants in base-36 epoch seconds
 *       ({@code _} for none), and the CRC32C of the {@code rotor.state} annotation written with it;</li>
 *   <li>{@code rotor-key-<key id>} for the service-account key in each version that still has one;</li>
 *   <li>{@code rotor-pending-<key id>}, pointing at the current version, for each key an attempt made that is
 *       neither committed nor undone ({@code pendingKeys}): in no version, so this is its only other record.</li>
 * </ul>
 * A secret with no version yet has no fence: its first claim lives in the annotation alone.
 */
record StateFence(Phase phase, boolean revokePending, @Nullable Instant leaseExpiry, @Nullable Instant claimedAt,
                  @Nullable Instant rotatedAt, @Nullable Instant expiresAt, String crc, long version) {
    static final String CURRENT = "current";
    static final String PREVIOUS = "previous";
    /** Every alias Rotor owns besides current and previous starts with this. */
    static final String PREFIX = "rotor-";
    static final String KEY_PREFIX = PREFIX + "key-";
    static final String PENDING_PREFIX = PREFIX + "pending-";
    private static final int MAX_ALIAS_LENGTH = 63;
    /** Who holds a lease that was restored from the fence: the holder's name is not in it. */
    static final String RESTORED_HOLDER = "restored-from-fence";
    /** Secret Manager's limit of aliases per secret (gcp-api-facts §1.4). */
    static final int MAX_ALIASES = 50;
    private static final String FENCE_PREFIX = PREFIX + "s";
    private static final Pattern FENCE = Pattern.compile(
            "rotor-s(\\d)-([0-9a-z]+|_)-([0-9a-z]+|_)-([0-9a-z]+|_)-([0-9a-z]+|_)-([0-9a-z]+)");
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]+");

    /** Whether {@code annotation} is the very {@code rotor.state} written with this fence. */
    boolean matches(String annotation) {
        return crc.equals(crc(annotation));
    }

    static Optional<StateFence> find(Map<String, Long> aliases) {
        return aliases.entrySet().stream().filter(e -> e.getKey().startsWith(FENCE_PREFIX))
                .map(e -> parse(e.getKey(), e.getValue())).flatMap(Optional::stream)
                .max(Comparator.comparingLong(StateFence::version));
    }

    /**
     * Someone removed the aliases of a committed, idle secret (Terraform applying a secret whose configuration
     * does not ignore {@code version_aliases} deletes them all: docs/design.md §1.1): consumers pinned to
     * {@code current} fail until a state write puts them back. Decided from the listing alone, so a not-due pass
     * stays one call; rotating and rolling secrets are written again by their own next step.
     */
    static boolean lost(Map<String, Long> aliases, RotationState state) {
        return state.current() != null && state.phase() == Phase.IDLE
                && (!aliases.containsKey(CURRENT) || find(aliases).isEmpty());
    }

    /**
     * The aliases people and consumers use ({@code current}, {@code previous}, their own), without Rotor's
     * bookkeeping ones: the API shows these (docs/api.md); {@code gcloud secrets describe} shows all.
     */
    static Map<String, Long> visible(Map<String, Long> aliases) {
        Map<String, Long> visible = new LinkedHashMap<>(aliases);
        visible.keySet().removeIf(a -> a.startsWith(PREFIX));
        return visible;
    }

    /** Key id by version number, from the key aliases. */
    static Map<String, String> keyIds(Map<String, Long> aliases) {
        Map<String, String> ids = new HashMap<>();
        aliases.forEach((alias, version) -> {
            if (alias.startsWith(KEY_PREFIX)) {
                ids.put(Long.toString(version), alias.substring(KEY_PREFIX.length()));
            }
        });
        return ids;
    }

    /** Ids of keys made by attempts and neither committed nor undone, from the pending-key aliases. */
    static List<String> pendingKeys(Map<String, Long> aliases) {
        return aliases.keySet().stream().filter(a -> a.startsWith(PENDING_PREFIX))
                .map(a -> a.substring(PENDING_PREFIX.length())).sorted().toList();
    }

    /**
     * The aliases to write with {@code json}, the encoding of {@code state}: other aliases are kept, Rotor's
     * are replaced. Key aliases go newest version first, as many as the 50-alias limit leaves room for; the
     * rest stay in the annotation only.
     */
    static Map<String, Long> aliases(Map<String, Long> existing, RotationState state, String json) {
        Map<String, Long> out = new LinkedHashMap<>();
        existing.forEach((alias, version) -> {
            if (!alias.startsWith(PREFIX)) {
                out.put(alias, version);
            }
        });
        Long current = state.current();
        if (current == null) {
            return out;
        }
        // current and previous move with a commit, or come back when someone removed them; otherwise an
        // operator's move of them stays (the audit reports it as alias drift)
        boolean committed = find(existing).map(f -> f.version() != current).orElse(true);
        if (committed || !out.containsKey(CURRENT)) {
            out.put(CURRENT, current);
        }
        if (state.previous() != null && !state.previous().equals(current)
                && (committed || !out.containsKey(PREVIOUS))) {
            out.put(PREVIOUS, state.previous());
        }
        out.put(name(state, crc(json)), current);
        // pending keys first: no version holds them
        state.pendingKeys().stream().filter(id -> fits(PENDING_PREFIX, id))
                .limit(Math.max(MAX_ALIASES - out.size(), 0))
                .forEach(id -> out.put(PENDING_PREFIX + id, current));
        state.keyIds().entrySet().stream()
                .filter(e -> fits(KEY_PREFIX, e.getValue()))
                .sorted(Comparator.comparingLong((Map.Entry<String, String> e) -> Long.parseLong(e.getKey())).reversed())
                .limit(Math.max(MAX_ALIASES - out.size(), 0))
                .forEach(e -> out.put(KEY_PREFIX + e.getValue(), Long.parseLong(e.getKey())));
        return out;
    }

    private static boolean fits(String prefix, String id) {
        return prefix.length() + id.length() <= MAX_ALIAS_LENGTH && KEY_ID.matcher(id).matches();
    }

    private static String name(RotationState s, String crc) {
        int flags = s.phase().ordinal() * 2 + (s.revokePending() ? 1 : 0);
        return FENCE_PREFIX + flags + "-" + instant(s.leaseHolder() == null ? null : s.leaseExpiry()) + "-"
                + instant(s.claimedAt()) + "-" + instant(s.rotatedAt()) + "-" + instant(s.expiresAt()) + "-" + crc;
    }

    private static Optional<StateFence> parse(String alias, long version) {
        Matcher m = FENCE.matcher(alias);
        if (!m.matches()) {
            return Optional.empty();
        }
        int flags = Integer.parseInt(m.group(1));
        Phase[] phases = Phase.values();
        if (flags / 2 >= phases.length) {
            return Optional.empty();
        }
        return Optional.of(new StateFence(phases[flags / 2], flags % 2 == 1, instant(m.group(2)),
                instant(m.group(3)), instant(m.group(4)), instant(m.group(5)), m.group(6), version));
    }

    static String crc(String annotation) {
        CRC32C crc = new CRC32C();
        crc.update(annotation.getBytes(StandardCharsets.UTF_8));
        return Long.toString(crc.getValue(), 36);
    }

    private static String instant(@Nullable Instant t) {
        return t == null ? "_" : Long.toString(t.getEpochSecond(), 36);
    }

    private static @Nullable Instant instant(String s) {
        return s.equals("_") ? null : Instant.ofEpochSecond(Long.parseLong(s, 36));
    }
}
