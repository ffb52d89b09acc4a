package dev.rotor.policy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A managed secret's declared policy, parsed from its {@code rotor.*} annotations with defaults applied.
 * Immutable; {@link PolicyParser} is the only way to make one from annotations.
 * {@code consumersAllowOutage} lists the consumers that may be restarted even where the restart would certainly
 * interrupt them (one replica that may go unavailable, a disruption budget that allows none); the others are
 * refused such a restart.
 */
public record Policy(
        Kind kind,
        Duration rotateEvery,
        Duration refreshBefore,
        Duration grace,
        Duration retain,
        int keepEnabled,
        List<String> consumers,
        Optional<String> encryption,
        Optional<HourWindow> window,
        int length,
        String format,
        Optional<String> serviceAccount,
        List<String> scopes,
        Duration lifetime,
        List<String> delegates,
        Optional<String> audience,
        List<String> consumersAllowOutage) {

    public static final Duration DEFAULT_ROTATE_EVERY = Duration.ofDays(30);
    public static final Duration DEFAULT_REFRESH_BEFORE = Duration.ofMinutes(15);
    public static final Duration DEFAULT_GRACE = Duration.ofHours(1);
    public static final Duration DEFAULT_RETAIN = Duration.ofDays(7);
    public static final int DEFAULT_KEEP_ENABLED = 2;
    public static final int DEFAULT_LENGTH = 32;
    public static final String DEFAULT_FORMAT = "base64url";
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
    /**
     * The least time before a key's {@code valid_before_time} at which it is replaced: two runs of the hourly
     * key schedule (the Terraform's {@code key_rotation_schedule} default), so one failed run still leaves one.
     */
    public static final Duration KEY_EXPIRY_MARGIN = Duration.ofHours(2);
    /** The longest access token IAM grants, and only with lifetime extension allowed (gcp-api-facts §3). */
    public static final Duration MAX_ACCESS_TOKEN_LIFETIME = Duration.ofHours(12);
    /** The life of a Google-signed ID token: GenerateIdToken has no lifetime field (gcp-api-facts §3). */
    public static final Duration ID_TOKEN_LIFETIME = Duration.ofHours(1);

    /** Allowed UTC hours {@code [fromHour, toHour)} for scheduled key rotation; may wrap past midnight. */
    public record HourWindow(int fromHour, int toHour) {
        public boolean contains(int hour) {
            return fromHour <= toHour ? hour >= fromHour && hour < toHour : hour >= fromHour || hour < toHour;
        }

        /** As {@code rotor.window} is written ({@code 02-04 UTC}), for the reasons a run reports. */
        @Override
        public String toString() {
            return String.format("%02d-%02d UTC", fromHour, toHour == 0 ? 24 : toHour);
        }
    }
}
