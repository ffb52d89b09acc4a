package dev.rotor.rotation;

import dev.rotor.policy.PolicyParser;
import dev.rotor.policy.RotationState;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and writes Rotor's state of a secret: the {@code rotor.state} annotation (one compact JSON object of
 * every {@link RotationState} field, so fields added to the record flow through unchanged) and the
 * {@link StateFence} aliases written with it in the same etag-guarded {@code UpdateSecret}.
 *
 * <p>The annotation is the full record but not the authority: Terraform's google provider writes a secret's
 * annotations back from the snapshot it read at refresh, under the update mask {@code annotations} and
 * without an etag, and {@code gcloud secrets update --update-annotations} does a read-modify-write without
 * an etag too (docs/design.md §1, with the provider lines). Neither writes {@code version_aliases} when the
 * configuration ignores them. So every read reconciles: an annotation that is not the one written with the
 * fence (its CRC32C differs, or it is gone or unreadable) was replaced by someone else, and the state is
 * restored from the fence and the aliases, the authority for the current version, the lease, the key ids and
 * the keys attempts made that nothing else records yet ({@code pendingKeys}).
 *
 * <p>The state is bounded for any policy: every text value is cut to {@link #MAX_TEXT} characters and the
 * whole to {@link #MAX_STATE_BYTES}, a quarter of Secret Manager's 16 KiB for all annotations of a secret
 * (gcp-api-facts §1.5), so the declaration keeps the rest.
 */
public final class StateCodec {
    /** Longest text value kept in the state (outcomes, reasons, holders). */
    public static final int MAX_TEXT = 300;
    /** The encoded state never exceeds this; the policy annotations keep the other 12 KiB. */
    public static final int MAX_STATE_BYTES = 4 * 1024;
    private static final ObjectMapper JSON = ObjectMapper.getDefault();

    private StateCodec() {
    }

    /** The state of record of a secret, reconciled with its aliases. */
    public static RotationState read(ManagedSecret secret) {
        return read(secret.annotations(), secret.aliases());
    }

    /**
     * The annotation when it is the one Rotor wrote with the fence, else the state restored from the fence and
     * the aliases. Without a fence (no version yet, or someone removed the aliases) the annotation alone.
     * Throws when there is neither a fence nor a state that parses.
     */
    public static RotationState read(Map<String, String> annotations, Map<String, Long> aliases) {
        String raw = annotations.get(PolicyParser.STATE);
        Optional<StateFence> fence = StateFence.find(aliases);
        if (fence.isEmpty() || raw != null && fence.get().matches(raw)) {
            return read(annotations);
        }
        RotationState recorded;
        try {
            recorded = read(annotations);
        } catch (IllegalArgumentException e) {
            recorded = RotationState.NEW;
        }
        return restore(recorded, fence.get(), aliases);
    }

    /** The annotation alone; {@link RotationState#NEW} when there is none. Throws when it does not parse. */
    public static RotationState read(Map<String, String> annotations) {
        String raw = annotations.get(PolicyParser.STATE);
        if (raw == null || raw.isBlank()) {
            return RotationState.NEW;
        }
        try {
            return JSON.readValue(raw, RotationState.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("rotor.state does not parse as Rotor state; fix or remove it", e);
        }
    }

    /** The annotations with {@code rotor.state} set to the bounded encoding of {@code state}. */
    public static Map<String, String> write(Map<String, String> annotations, RotationState state) {
        Map<String, String> copy = new HashMap<>(annotations);
        copy.put(PolicyParser.STATE, encode(state));
        return copy;
    }

    /**
     * One etag-guarded write of {@code state}: the annotation and the aliases that fence it, together. Every
     * state write goes through here, or the next read would find the annotation out of step with its fence.
     */
    static ManagedSecret save(SecretStore store, ManagedSecret secret, RotationState state) {
        return store.update(secret.ref(), secret.etag(), write(secret.annotations(), state),
                aliases(secret.aliases(), state));
    }

    /**
     * Writes {@code state} on a fresh read of the secret when the state of record there still shows the lease
     * {@code held} took (same holder and attempt); otherwise writes nothing and returns empty. For a write that
     * lost to an etag conflict: while a lease is held no other run writes (another takes it only once it has
     * expired), so a conflict that leaves the lease in place came from someone else, such as Terraform removing
     * every alias ({@code version_aliases} not ignored: docs/design.md §1.1). Without this, the lease stays until
     * it expires, and the next runs keep off while consumers pinned to {@code current} find no such alias; this
     * write puts the aliases back. A stale annotation behind the fence reads as restored, never as this lease.
     */
    static Optional<ManagedSecret> saveIfStillHeld(SecretStore store, SecretRef ref, RotationState held,
                                                   RotationState state) {
        ManagedSecret fresh = store.get(ref);
        return stillHeld(fresh, held) ? Optional.of(save(store, fresh, state)) : Optional.empty();
    }

    /** Whether the state of record of {@code fresh} still shows the lease {@code held} took (holder and attempt). */
    static boolean stillHeld(ManagedSecret fresh, RotationState held) {
        RotationState recorded = read(fresh);
        return held.leaseHolder() != null && held.leaseHolder().equals(recorded.leaseHolder())
                && Objects.equals(held.attemptId(), recorded.attemptId());
    }

    /** The aliases with Rotor's set from {@code state}: current, previous, the fence and the key aliases. */
    public static Map<String, Long> aliases(Map<String, Long> aliases, RotationState state) {
        return StateFence.aliases(aliases, state, encode(state));
    }

    /** The bounded JSON of a state. Throws, before anything is written, if even the bounded form is too big. */
    static String encode(RotationState state) {
        try {
            String json = JSON.writeValueAsString(bounded(JSON.writeValueToTree(state)));
            int bytes = json.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_STATE_BYTES) {
                throw new IllegalStateException("Rotor's state would be " + bytes + " bytes, more than its "
                        + MAX_STATE_BYTES + "; nothing was written (" + state.keyIds().size() + " key ids recorded)");
            }
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode bounded(JsonNode node) {
        if (node.isString() && node.getStringValue().length() > MAX_TEXT) {
            String s = node.getStringValue();
            int end = Character.isHighSurrogate(s.charAt(MAX_TEXT - 1)) ? MAX_TEXT - 1 : MAX_TEXT;
            return JsonNode.createStringNode(s.substring(0, end));
        }
        if (!node.isObject()) {
            return node;
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        node.entries().forEach(e -> fields.put(e.getKey(), bounded(e.getValue())));
        return JsonNode.createObjectNode(fields);
    }

    /**
     * The recorded state with what the fence and aliases know put over it. Other fields come from the recorded
     * state only while it still names the same current version; otherwise they belong to an older rotation.
     */
    private static RotationState restore(RotationState recorded, StateFence fence, Map<String, Long> aliases) {
        try {
            Long current = aliases.getOrDefault(StateFence.CURRENT, fence.version());
            boolean sameRotation = current.equals(recorded.current());
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            JSON.writeValueToTree(sameRotation ? recorded : RotationState.NEW).entries()
                    .forEach(e -> fields.put(e.getKey(), e.getValue()));
            Map<String, String> keyIds = new HashMap<>(recorded.keyIds());
            keyIds.putAll(StateFence.keyIds(aliases));
            fields.put("phase", tree(fence.phase()));
            fields.put("current", tree(current));
            fields.put("previous", tree(aliases.get(StateFence.PREVIOUS)));
            fields.put("rotatedAt", tree(fence.rotatedAt()));
            fields.put("expiresAt", tree(fence.expiresAt()));
            fields.put("keyIds", tree(keyIds));
            // a key the stale annotation still lists may be gone already: deleting it again is harmless
            Set<String> pending = new TreeSet<>(recorded.pendingKeys());
            pending.addAll(StateFence.pendingKeys(aliases));
            fields.put("pendingKeys", tree(List.copyOf(pending)));
            fields.put("claimedAt", tree(fence.claimedAt()));
            fields.put("leaseHolder", tree(fence.leaseExpiry() == null ? null : StateFence.RESTORED_HOLDER));
            fields.put("leaseExpiry", tree(fence.leaseExpiry()));
            // when retirement falls due is not in the fence: due at once, so a retire-only pass re-plans it
            fields.put("retireAt", tree(fence.rotatedAt()));
            fields.put("revokePending", tree(fence.revokePending()));
            return JSON.readValueFromTree(JsonNode.createObjectNode(fields), RotationState.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode tree(Object value) throws IOException {
        return value == null ? JsonNode.nullNode() : JSON.writeValueToTree(value);
    }
}
