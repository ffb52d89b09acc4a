package dev.rotor.local.secretmanager;

import com.google.cloud.secretmanager.v1.Rotation;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
    static final int MAX_TOPICS = 10;
    static final long MIN_ROTATION_LEAD_SECONDS = 300;
    static final long MIN_ROTATION_PERIOD_SECONDS = 3600;
    static final long MAX_ROTATION_PERIOD_SECONDS = 3_153_600_000L;
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
        if (s.getTopicsCount() > MAX_TOPICS) {
            throw invalid("A secret can have at most " + MAX_TOPICS + " topics.");
        }
    }

    /**
     * {@code ttl} is INPUT_ONLY: it becomes {@code expire_time}, which is what every read returns (the
     * {@code expiration} oneof, gcp-api-facts §1.7).
     */
    static Secret.Builder expiration(Secret.Builder b, Instant now) {
        if (b.hasTtl()) {
            Duration ttl = b.getTtl();
            if (ttl.getSeconds() < 0 || ttl.getSeconds() == 0 && ttl.getNanos() <= 0) {
                throw invalid("Secret.ttl must be positive.");
            }
            Instant at = now.plusSeconds(ttl.getSeconds()).plusNanos(ttl.getNanos());
            b.setExpireTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()));
        }
        return b;
    }

    /**
     * A rotation policy as sent: {@code rotation_period} between 3600 s and 100 years, and only with
     * {@code next_rotation_time}, which must be at least 300 s ahead (gcp-api-facts §1.7).
     */
    static void rotation(Rotation rotation, Instant now) {
        if (rotation.hasRotationPeriod() && !rotation.hasNextRotationTime()) {
            throw invalid("Secret.rotation.next_rotation_time is required when rotation_period is set.");
        }
        long period = rotation.getRotationPeriod().getSeconds();
        if (rotation.hasRotationPeriod()
                && (period < MIN_ROTATION_PERIOD_SECONDS || period > MAX_ROTATION_PERIOD_SECONDS)) {
            throw invalid("Secret.rotation.rotation_period must be between 3600s and 3153600000s.");
        }
        if (rotation.hasNextRotationTime()
                && rotation.getNextRotationTime().getSeconds() < now.getEpochSecond() + MIN_ROTATION_LEAD_SECONDS) {
            throw invalid("Secret.rotation.next_rotation_time must be at least 300 seconds in the future.");
        }
    }

    /**
     * "Access by alias is only supported on GetSecretVersion and AccessSecretVersion" (service.proto,
     * gcp-api-facts §1.4), and only those two document {@code latest}: Enable, Disable and Destroy take a
     * version number. The exact code Google gives an alias there is unverified; INVALID_ARGUMENT is the inference.
     */
    static void numberedVersion(String versionName) {
        String id = versionName.substring(versionName.lastIndexOf('/') + 1);
        if (id.isEmpty() || !id.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid("Invalid resource field value in the request: name [" + versionName
                    + "]: this method takes a version number, not an alias or 'latest'.");
        }
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
