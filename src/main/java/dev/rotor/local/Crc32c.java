package dev.rotor.local;

import java.util.zip.CRC32C;

/**
 * CRC32C, the checksum Secret Manager and KMS verify and return (gcp-api-facts §1.7, §2.1). The emulator has its
 * own, rather than Rotor's, so that {@code local/} depends on nothing of Rotor's and could become its own artifact.
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
