package dev.rotor.secret;

import java.util.zip.CRC32C;

/** CRC32C, the checksum Secret Manager and KMS use for payload integrity. */
public final class Crc {
    private Crc() {
    }

    public static long of(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return crc.getValue();
    }
}
