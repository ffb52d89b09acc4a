package dev.rotor.credential;

/** Proves a new key works by using it: exchanging a signed JWT for an access token at its token URI. */
public interface KeyVerifier {
    /** Thrown while the key does not (yet) work; the message never holds key material. */
    final class NotWorking extends RuntimeException {
        public NotWorking(String message) {
            super(message, null, false, false);
        }
    }

    void verify(byte[] jsonKeyFile);
}
