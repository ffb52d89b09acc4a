package dev.rotor.gcp;

import com.google.api.gax.rpc.ApiException;
import dev.rotor.error.RemoteException;

/**
 * Maps a Google client error to Rotor's error values, by status code only. The message names the call and
 * the resource (never a payload) and keeps Google's own description, which also never carries payloads.
 */
public final class GoogleErrors {
    private GoogleErrors() {
    }

    public static RemoteException map(String call, ApiException e) {
        String message = call + " failed: " + e.getStatusCode().getCode() + ": " + e.getMessage();
        return switch (e.getStatusCode().getCode()) {
            case NOT_FOUND -> new RemoteException.NotFound(message, e);
            case PERMISSION_DENIED, UNAUTHENTICATED -> new RemoteException.PermissionDenied(message, e);
            case FAILED_PRECONDITION -> new RemoteException.FailedPrecondition(message, e);
            case ABORTED -> new RemoteException.Conflict(message, e);
            case UNAVAILABLE, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN, CANCELLED ->
                    new RemoteException.Retryable(message, e);
            default -> new RemoteException.Fatal(message, e);
        };
    }
}
