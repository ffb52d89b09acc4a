package dev.rotor.local;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Opaque etags, quoted as Google returns them (gcp-api-facts §1.3: "etags carry surrounding double
 * quotes"). A new one is drawn on every modifying request, including a no-op one.
 */
public final class Etags {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Etags() {
    }

    public static String next() {
        byte[] bytes = new byte[9];
        RANDOM.nextBytes(bytes);
        return "\"" + HexFormat.of().formatHex(bytes) + "\"";
    }
}
