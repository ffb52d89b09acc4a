package dev.rotor.local.secretmanager;

import com.google.cloud.secretmanager.v1.Secret;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.rotor.local.Statuses.invalid;

/**
 * Secret Manager's documented input rules (gcp-api-facts §1.1, §1.4, §1.5, §1.7), enforced the way the
 * API does: INVALID_ARGUMENT with the offending field named.
 */
final class SecretRules {
    static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    static final int MAX_ANNOTATIONS_BYTES = 16 * 1024;
    static final int MAX_ALIASES = 50;
    static final int MAX_LABELS = 64;
    private static final Pattern SECRET_ID = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final Pattern LABEL_KEY = Pattern.compile("[\\p{Ll}\\p{Lo}][\\p{Ll}\\p{Lo}\\p{N}_-]{0,62}");
    private static final Pattern LABEL_VALUE = Pattern.compile("[\\p{Ll}\\p{Lo}\\p{N}_-]{0,63}");
    private static final Pattern ANNOTATION_KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,62}");

    private SecretRules() {
    }

    static void secretId(String id) {
        if (!SECRET_ID.matcher(id).matches()) {
            throw invalid("The secret_id [" + id + "] must be 1 to 255 characters of letters, digits, '-' and '_'.");
        }
    }

    static void secret(Secret s) {
        labels(s.getLabelsMap());
        annotations(s.getAnnotationsMap());
    }

    static void labels(Map<String, String> labels) {
        if (labels.size() > MAX_LABELS) {
            throw invalid("A secret can have at most " + MAX_LABELS + " labels.");
        }
        labels.forEach((k, v) -> {
            if (!LABEL_KEY.matcher(k).matches() || k.getBytes(StandardCharsets.UTF_8).length > 128) {
                throw invalid("Label key [" + k + "] is invalid.");
            }
            if (!LABEL_VALUE.matcher(v).matches() || v.getBytes(StandardCharsets.UTF_8).length > 128) {
                throw invalid("Label value [" + v + "] of key [" + k + "] is invalid.");
            }
        });
    }

    static void annotations(Map<String, String> annotations) {
        int total = 0;
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            if (!ANNOTATION_KEY.matcher(e.getKey()).matches()
                    || e.getKey().getBytes(StandardCharsets.UTF_8).length > 128) {
                throw invalid("Annotation key [" + e.getKey() + "] is invalid.");
            }
            total += e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (total >= MAX_ANNOTATIONS_BYTES) {
            throw invalid("The total size of annotation keys and values must be less than 16KiB, was " + total + " bytes.");
        }
    }

    static void aliases(Map<String, Long> aliases) {
        if (aliases.size() > MAX_ALIASES) {
            throw invalid("A secret can have at most " + MAX_ALIASES + " version aliases.");
        }
        for (String alias : aliases.keySet()) {
            if (!ALIAS.matcher(alias).matches() || alias.equals("latest") || alias.equals("NEW")) {
                throw invalid("Version alias [" + alias + "] is invalid.");
            }
        }
    }

    static void payloadSize(int bytes) {
        if (bytes > MAX_PAYLOAD_BYTES) {
            throw invalid("Secret payload data must be 65536 bytes or less, was " + bytes + " bytes.");
        }
    }
}
