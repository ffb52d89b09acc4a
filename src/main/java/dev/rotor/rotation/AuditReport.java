package dev.rotor.rotation;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/** What the deep check found (DESIGN §2), the body of {@code POST /v1/audits}. */
@Serdeable
public record AuditReport(String auditId, Instant startedAt, Instant finishedAt, boolean repair, Summary summary,
                          List<SecretAudit> secrets) {

    /** Counts: secrets checked, findings, findings repaired. */
    @Serdeable
    public record Summary(int secrets, int findings, int repaired) {
    }

    /** One secret's findings and what was repaired. */
    @Serdeable
    public record SecretAudit(String project, String secret, String kind, List<Finding> findings,
                              List<String> repaired) {
    }

    /** One drift: a stable {@code type} for tools, a {@code detail} for people. */
    @Serdeable
    public record Finding(String type, String detail) {
        public static final String MISCONFIGURED = "misconfigured";
        public static final String ENCRYPTION_MISMATCH = "encryption-mismatch";
        public static final String ALIAS_DRIFT = "alias-drift";
        public static final String EXCESS_ENABLED_VERSIONS = "excess-enabled-versions";
        public static final String UNCOMMITTED_VERSION = "uncommitted-version";
        public static final String STALLED_ROTATION = "stalled-rotation";
        public static final String UNREADABLE_STATE = "unreadable-state";
        public static final String UNMANAGED_KEY = "unmanaged-key";
        public static final String ORPHAN_KEY = "orphan-key";
    }
}
