package dev.rotor.local.faults;

import com.google.cloud.secretmanager.v1.Secret;
import com.google.protobuf.FieldMask;
import dev.rotor.local.secretmanager.SecretManagerState;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Someone other than Rotor writing a managed secret's annotations, the way Google receives it: an
 * {@code UpdateSecret} with the update mask {@code annotations}, the whole map, and no etag.
 * <ul>
 *   <li>{@link Kind#STALE_SNAPSHOT}: Terraform's google provider. On apply it sends
 *       {@code effective_annotations}, the annotations read at the last refresh merged with the configuration
 *       ({@code tpgresource/annotations.go} {@code SetAnnotationsDiff}; {@code resource_secret_manager_secret.go}
 *       update path), so everything written since the {@link #refresh} is reverted. {@code gcloud secrets update
 *       --update-annotations} is the same read-modify-write with a shorter window (its {@code --etag} is optional).</li>
 *   <li>{@link Kind#STATE_DELETED}: a person removes {@code rotor.state}.</li>
 *   <li>{@link Kind#UNKNOWN_ANNOTATIONS}: another tool adds annotations of its own.</li>
 *   <li>{@link Kind#POLICY_CHANGED}: the declaration changes mid-rotation ({@code rotor.grace} set to
 *       {@link #CHANGED_GRACE}); {@link #change} makes any other change.</li>
 *   <li>{@link Kind#ALIASES_CLEARED}: Terraform applying a {@code google_secret_manager_secret} whose
 *       configuration lacks {@code lifecycle { ignore_changes = [version_aliases] }}: {@code version_aliases} is
 *       Optional and not Computed, so the plan removes every alias the server has and apply sends the mask
 *       {@code versionAliases} with none in the body ({@code resource_secret_manager_secret.go} L367-378,
 *       L714-719, L772-774 at commit {@code e03b7622}; the same at {@code 01ddfb1d}, where
 *       {@code resourceSecretManagerSecretUpdate} adds {@code versionAliases} to the mask on
 *       {@code d.HasChange("version_aliases")} and to the body only when not empty; docs/design.md §1.1). The
 *       annotations are left as they are, as when only the aliases differ from the configuration.</li>
 * </ul>
 * The other kinds never write aliases: the managed-secret module ignores {@code version_aliases}, and gcloud
 * sends them only with {@code --update-version-aliases}.
 */
public final class ExternalWriter {
    /** Who writes, and what. */
    public enum Kind { STALE_SNAPSHOT, STATE_DELETED, UNKNOWN_ANNOTATIONS, POLICY_CHANGED, ALIASES_CLEARED }

    public static final String CHANGED_GRACE = "PT5M";
    private static final FieldMask ANNOTATIONS = FieldMask.newBuilder().addPaths("annotations").build();
    private static final FieldMask ALIASES = FieldMask.newBuilder().addPaths("version_aliases").build();
    private final SecretManagerState secrets;
    private final Map<String, Map<String, String>> refreshed = new ConcurrentHashMap<>();

    public ExternalWriter(SecretManagerState secrets) {
        this.secrets = secrets;
    }

    /** Reads the secret as {@code terraform plan} does: what a later stale write puts back. */
    public void refresh(String name) {
        refreshed.put(name, Map.copyOf(secrets.get(name).getAnnotationsMap()));
    }

    /** Writes the secret's annotations as {@code kind} would, without an etag. */
    public void write(Kind kind, String name) {
        if (kind == Kind.ALIASES_CLEARED) {
            secrets.update(Secret.newBuilder().setName(name).build(), ALIASES);
            return;
        }
        Map<String, String> annotations = new HashMap<>(secrets.get(name).getAnnotationsMap());
        switch (kind) {
            case STALE_SNAPSHOT -> {
                Map<String, String> snapshot = refreshed.get(name);
                if (snapshot == null) {
                    throw new IllegalStateException("refresh " + name + " before writing a stale snapshot of it");
                }
                annotations = new HashMap<>(snapshot);
            }
            case STATE_DELETED -> annotations.remove("rotor.state");
            case UNKNOWN_ANNOTATIONS -> {
                annotations.put("team.example.owner", "payments");
                annotations.put("cost-center", "cc-1234");
            }
            case POLICY_CHANGED -> annotations.put("rotor.grace", CHANGED_GRACE);
            default -> throw new IllegalArgumentException(kind + " does not write annotations");
        }
        put(name, annotations);
    }

    /**
     * Changes the declaration as a person or Terraform would, without an etag: each entry is set, or removed
     * when its value is empty.
     */
    public void change(String name, Map<String, String> changes) {
        Map<String, String> annotations = new HashMap<>(secrets.get(name).getAnnotationsMap());
        changes.forEach((key, value) -> {
            if (value.isEmpty()) {
                annotations.remove(key);
            } else {
                annotations.put(key, value);
            }
        });
        put(name, annotations);
    }

    private void put(String name, Map<String, String> annotations) {
        secrets.update(Secret.newBuilder().setName(name).putAllAnnotations(annotations).build(), ANNOTATIONS);
    }
}
