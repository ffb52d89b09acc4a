package dev.rotor.local;

import java.util.zip.CRC32C;

/**
 * CRC32C as Secret Manager and KMS compute it for payload integrity (Castagnoli polynomial; see
 * https://cloud.google.com/kms/docs/data-integrity-guidelines). The emulator keeps its own copy rather than
 * Rotor's, so a mistake in Rotor's checksum is caught instead of mirrored.
 */
public final class Crc32c {
    private Crc32c() {
    }

    public static long of(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return crc.getValue();
    }
}
