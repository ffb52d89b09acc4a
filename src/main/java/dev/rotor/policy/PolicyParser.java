package dev.rotor.policy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a secret's {@code rotor.*} annotations into a {@link Policy}. Pure: no I/O, no clock. Every
 * rejection names the annotation, the value and what was expected, because the operator fixing it sees
 * only that sentence in the run report.
 */
public final class PolicyParser {
    public static final String PREFIX = "rotor.";
    public static final String STATE = "rotor.state";
    private static final Set<String> KNOWN = Set.of("kind", "rotate-every", "refresh-before", "grace", "retain",
            "keep-enabled", "consumers", "encryption", "window", "length", "format", "service-account", "scopes",
            "lifetime", "delegates", "audience", "state");
    private static final Set<String> FORMATS = Set.of("base64url", "hex", "alnum");
    private static final Pattern CONSUMER = Pattern.compile(
            "run:projects/[a-z0-9-]+/locations/[a-z0-9-]+/services/[a-z0-9-]+"
                    + "|gke:projects/[a-z0-9-]+/locations/[a-z0-9-]+/clusters/[a-z0-9-]+/namespaces/[a-z0-9-]+"
                    + "/deployments/[a-z0-9.-]+"
                    + "|mig:projects/[a-z0-9-]+/(zones|regions)/[a-z0-9-]+/instanceGroupManagers/[a-z0-9-]+");
    private static final Pattern KMS_KEY = Pattern.compile(
            "projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern WINDOW = Pattern.compile("(\\d{1,2})-(\\d{1,2})");
    private static final int MAX_LENGTH = 4096;

    private PolicyParser() {
    }

    public static Declaration parse(Map<String, String> annotations) {
        try {
            return new Declaration.Valid(policy(annotations));
        } catch (Invalid e) {
            return new Declaration.Misconfigured(e.getMessage());
        }
    }

    private static Policy policy(Map<String, String> a) {
        for (String key : a.keySet()) {
            if (key.startsWith(PREFIX) && !KNOWN.contains(key.substring(PREFIX.length()))) {
                throw new Invalid(key + " is not a Rotor annotation (known: rotor." + String.join(", rotor.",
                        KNOWN.stream().sorted().toList()) + ")");
            }
        }
        String kindLabel = a.get("rotor.kind");
        if (kindLabel == null) {
            throw new Invalid("rotor.kind is missing (one of service-account-key, access-token, id-token, generated)");
        }
        Kind kind = Kind.of(kindLabel.trim()).orElseThrow(() -> new Invalid("rotor.kind: \"" + kindLabel
                + "\" is not a kind (one of service-account-key, access-token, id-token, generated)"));
        Optional<String> serviceAccount = Optional.ofNullable(a.get("rotor.service-account")).map(String::trim);
        if (kind != Kind.GENERATED) {
            String sa = serviceAccount.orElseThrow(() -> new Invalid("rotor.service-account is required for kind "
                    + kind.label()));
            if (!EMAIL.matcher(sa).matches()) {
                throw new Invalid("rotor.service-account: \"" + sa + "\" is not a service account email");
            }
        }
        Optional<String> audience = Optional.ofNullable(a.get("rotor.audience")).map(String::trim);
        if (kind == Kind.ID_TOKEN && audience.filter(s -> !s.isEmpty()).isEmpty()) {
            throw new Invalid("rotor.audience is required for kind id-token");
        }
        int length = integer(a, "rotor.length", Policy.DEFAULT_LENGTH, 1, MAX_LENGTH);
        String format = a.getOrDefault("rotor.format", Policy.DEFAULT_FORMAT).trim();
        if (!FORMATS.contains(format)) {
            throw new Invalid("rotor.format: \"" + format + "\" is not a format (one of base64url, hex, alnum)");
        }
        List<String> scopes = list(a.get("rotor.scopes"));
        tokenTimings(kind, duration(a, "rotor.refresh-before", Policy.DEFAULT_REFRESH_BEFORE),
                duration(a, "rotor.lifetime", Policy.DEFAULT_LIFETIME));
        return new Policy(kind,
                duration(a, "rotor.rotate-every", Policy.DEFAULT_ROTATE_EVERY),
                duration(a, "rotor.refresh-before", Policy.DEFAULT_REFRESH_BEFORE),
                duration(a, "rotor.grace", Policy.DEFAULT_GRACE),
                duration(a, "rotor.retain", Policy.DEFAULT_RETAIN),
                integer(a, "rotor.keep-enabled", Policy.DEFAULT_KEEP_ENABLED, 1, 50),
                consumers(a.get("rotor.consumers")),
                encryption(a.get("rotor.encryption")),
                window(a.get("rotor.window")),
                length, format, serviceAccount,
                scopes.isEmpty() ? List.of("https://www.googleapis.com/auth/cloud-platform") : scopes,
                duration(a, "rotor.lifetime", Policy.DEFAULT_LIFETIME),
                list(a.get("rotor.delegates")),
                audience);
    }

    /**
     * A token whose refresh-before is not shorter than its life is due the moment it is minted: a new version
     * and a new consumer revision every run. An ID token lives 1 h (GenerateIdToken has no lifetime); an access
     * token lives {@code rotor.lifetime}, at most 12 h (gcp-api-facts §3). The lifetime IAM actually grants is
     * checked again when each token is minted (a 1 h fall-back, for one).
     */
    private static void tokenTimings(Kind kind, Duration refreshBefore, Duration lifetime) {
        Duration life = kind == Kind.ID_TOKEN ? Policy.ID_TOKEN_LIFETIME
                : lifetime.compareTo(Policy.MAX_ACCESS_TOKEN_LIFETIME) > 0 ? Policy.MAX_ACCESS_TOKEN_LIFETIME : lifetime;
        if (kind.isToken() && refreshBefore.compareTo(life) >= 0) {
            throw new Invalid("rotor.refresh-before: " + refreshBefore + " is not shorter than the token's lifetime "
                    + life + (kind == Kind.ID_TOKEN ? " (ID tokens live 1 h)" : " (rotor.lifetime)")
                    + ", so every token would be due as soon as it is minted; make it shorter than the lifetime");
        }
    }

    private static Duration duration(Map<String, String> a, String key, Duration fallback) {
        String raw = a.get(key);
        if (raw == null) {
            return fallback;
        }
        Duration d;
        try {
            d = Duration.parse(raw.trim());
        } catch (DateTimeParseException e) {
            throw new Invalid(key + ": \"" + raw + "\" is not an ISO-8601 duration (for example PT1H or P7D)");
        }
        if (d.isNegative() || d.isZero() && !key.equals("rotor.grace")) {
            throw new Invalid(key + ": \"" + raw + "\" must be positive");
        }
        return d;
    }

    private static int integer(Map<String, String> a, String key, int fallback, int min, int max) {
        String raw = a.get(key);
        if (raw == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(raw.trim());
            if (n < min || n > max) {
                throw new Invalid(key + ": " + n + " is out of range (" + min + " to " + max + ")");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new Invalid(key + ": \"" + raw + "\" is not a whole number");
        }
    }

    private static List<String> consumers(String raw) {
        List<String> targets = list(raw);
        for (String t : targets) {
            if (!CONSUMER.matcher(t).matches()) {
                throw new Invalid("rotor.consumers: \"" + t + "\" is not a target (run:projects/P/locations/L/"
                        + "services/S, gke:projects/P/locations/L/clusters/C/namespaces/N/deployments/D, or "
                        + "mig:projects/P/zones/Z/instanceGroupManagers/M)");
            }
        }
        return targets;
    }

    private static Optional<String> encryption(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String v = raw.trim();
        if (v.equals("cmek") || v.startsWith("envelope:") && KMS_KEY.matcher(v.substring(9)).matches()) {
            return Optional.of(v);
        }
        throw new Invalid("rotor.encryption: \"" + raw + "\" is not cmek or envelope:projects/P/locations/L/"
                + "keyRings/R/cryptoKeys/K");
    }

    private static Optional<Policy.HourWindow> window(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        Matcher m = WINDOW.matcher(raw.trim());
        if (!m.matches()) {
            throw new Invalid("rotor.window: \"" + raw + "\" is not an hour range such as 02-05 (UTC)");
        }
        int from = Integer.parseInt(m.group(1));
        int to = Integer.parseInt(m.group(2));
        if (from > 23 || to > 24 || from == to) {
            throw new Invalid("rotor.window: \"" + raw + "\" needs two different hours from 0 to 24");
        }
        return from == 0 && to == 24 ? Optional.empty() : Optional.of(new Policy.HourWindow(from, to % 24));
    }

    private static List<String> list(String raw) {
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }
}
