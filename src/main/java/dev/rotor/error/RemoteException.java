package dev.rotor.error;

/**
 * A failed call to an external system, as a value with meaning. Adapters map the remote status to one of
 * these; the engine decides on the kind, never on message text. Messages name resources, never payloads.
 */
public sealed class RemoteException extends RuntimeException {
    RemoteException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The resource does not exist. */
    public static final class NotFound extends RemoteException {
        public NotFound(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The caller lacks a permission (possibly not yet propagated). */
    public static final class PermissionDenied extends RemoteException {
        public PermissionDenied(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** An optimistic-concurrency guard (etag) did not match: someone else changed it. */
    public static final class Conflict extends RemoteException {
        public Conflict(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The resource is not in a state that allows the call (a disabled version, a key limit, an org policy). */
    public static final class FailedPrecondition extends RemoteException {
        public FailedPrecondition(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Transient: unavailable, quota, deadline. The call may or may not have taken effect; only an
     * idempotent call may simply be repeated.
     */
    public static final class Retryable extends RemoteException {
        public Retryable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Anything else: a bug or bad input; retrying will not help. */
    public static final class Fatal extends RemoteException {
        public Fatal(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
