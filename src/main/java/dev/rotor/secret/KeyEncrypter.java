package dev.rotor.secret;

/** The port to Cloud KMS: symmetric encryption bound to additional authenticated data. */
public interface KeyEncrypter {
    /** A ciphertext and the key version that made it. */
    record Sealed(String keyVersion, byte[] ciphertext) {
    }

    /** Encrypts with the key's primary version; CRC32C is checked both ways. */
    Sealed encrypt(String cryptoKey, byte[] plaintext, byte[] aad);

    /** Decrypts; the key version is read from the ciphertext. A wrong {@code aad} does not decrypt. */
    byte[] decrypt(String cryptoKey, byte[] ciphertext, byte[] aad);
}
