package dev.rotor.rotation;

import dev.rotor.policy.RotationState;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.spi.LoggingEventBuilder;

import java.util.Map;

/**
 * The audit trail of Rotor's state: one structured log entry (logger {@value #LOGGER}) for every state write that
 * took effect, with the state as written, so what a secret went through can be read in Cloud Logging without
 * reading annotations. Every state write, whichever step makes it ({@link StateCodec#save}, the commit, the lease
 * renewal, a rollback), is one etag-guarded {@link SecretStore#update}, so it is logged there, at the port, by
 * the proxy that records this instance's own writes ({@link OwnWrites.Recorder}): no write can be missed and no
 * step needs a line of its own. After a failure the entry is the state the failure left (the outcome names the error, the lease is given
 * back) and is a warning.
 *
 * <p>Fields (JSON fields of the Cloud Logging entry, see {@code logging/CloudLoggingLayout}): {@code event},
 * {@code project}, {@code secret}, {@code kind}, {@code phase}, {@code current}, {@code previous},
 * {@code keyIds}, {@code pendingKeys}, {@code rolled}, {@code expiresAt}, {@code retireAt}, {@code run},
 * {@code attempt}, {@code attempts}, {@code lease} (holder and expiry while held), {@code revokePending},
 * {@code outcome}, and for manual calls {@code actor} and {@code reason}. Never a payload: a state holds none.
 */
final class StateLog {
    static final String LOGGER = "dev.rotor.state";
    /** MDC keys: the run (or manual call) the thread works for, and who asked for a manual call and why. */
    static final String RUN = "run";
    static final String ACTOR = "actor";
    static final String REASON = "reason";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final int MAX_KIND = 40;

    private StateLog() {
    }

    /** The MDC keys of a manual call, removed on close. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Marks the calling thread as working for an operator's call until the scope closes. */
    static Scope manual(String runId, String actor, String reason) {
        MDC.put(RUN, runId);
        MDC.put(ACTOR, actor);
        MDC.put(REASON, reason);
        return () -> {
            MDC.remove(RUN);
            MDC.remove(ACTOR);
            MDC.remove(REASON);
        };
    }

    static void written(SecretRef ref, Map<String, String> annotations) {
        RotationState s;
        try {
            s = StateCodec.read(annotations);
        } catch (IllegalArgumentException e) {
            LOG.warn("state of {} written, but it does not read back: {}", ref, e.getMessage());
            return;
        }
        // the record a failure leaves gives the lease back; a later claim still carries the old outcome
        boolean failed = s.lastOutcome() != null && s.lastOutcome().startsWith("failed") && s.leaseHolder() == null;
        String kind = annotations.getOrDefault("rotor.kind", "");
        LoggingEventBuilder entry = (failed ? LOG.atWarn() : LOG.atInfo())
                .addKeyValue("event", "state-change")
                .addKeyValue("project", ref.project())
                .addKeyValue("secret", ref.secret())
                .addKeyValue("kind", kind.length() > MAX_KIND ? kind.substring(0, MAX_KIND) : kind)
                .addKeyValue("phase", s.phase().name())
                .addKeyValue("current", s.current())
                .addKeyValue("previous", s.previous())
                .addKeyValue("keyIds", s.keyIds())
                .addKeyValue("pendingKeys", s.pendingKeys())
                .addKeyValue("rolled", s.rolled())
                .addKeyValue("expiresAt", s.expiresAt() == null ? null : s.expiresAt().toString())
                .addKeyValue("retireAt", s.retireAt() == null ? null : s.retireAt().toString())
                .addKeyValue("run", MDC.get(RUN) != null ? MDC.get(RUN) : s.leaseHolder())
                .addKeyValue("attempt", s.attemptId())
                .addKeyValue("attempts", s.attempts())
                .addKeyValue("lease", s.leaseHolder() == null ? null
                        : Map.of("holder", s.leaseHolder(), "expiry", String.valueOf(s.leaseExpiry())))
                .addKeyValue("revokePending", s.revokePending())
                .addKeyValue("outcome", s.lastOutcome());
        if (MDC.get(ACTOR) != null) {
            entry = entry.addKeyValue("actor", MDC.get(ACTOR)).addKeyValue("reason", MDC.get(REASON));
        }
        entry.log("state of {}: {}, current {}", ref, s.phase(), s.current());
    }
}
