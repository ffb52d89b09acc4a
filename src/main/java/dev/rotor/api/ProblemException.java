package dev.rotor.api;

/** Ends a request with an RFC 9457 problem response; the detail must be safe to show the caller. */
public final class ProblemException extends RuntimeException {
    private final int status;

    public ProblemException(int status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, detail);
    }

    public int status() {
        return status;
    }
}
