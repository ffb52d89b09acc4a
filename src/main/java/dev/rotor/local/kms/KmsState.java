package dev.rotor.local.kms;

import com.google.cloud.kms.v1.CryptoKey;
import com.google.cloud.kms.v1.CryptoKeyVersion;
import com.google.cloud.kms.v1.KeyRing;
import com.google.cloud.kms.v1.ProtectionLevel;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.rotor.local.Statuses.alreadyExists;
import static dev.rotor.local.Statuses.failedPrecondition;
import static dev.rotor.local.Statuses.invalid;
import static dev.rotor.local.Statuses.notFound;

/**
 * Emulated Cloud KMS symmetric keys (gcp-api-facts §2): key rings, crypto keys with a primary version,
 * real AES-256-GCM. A ciphertext carries the key's fingerprint and the version number, so Decrypt takes
 * only the CryptoKey name and finds the version itself; a version that is not ENABLED gives
 * FAILED_PRECONDITION; a wrong key, a changed ciphertext or different additional data fail to decrypt.
 */
public final class KmsState {
    static final int MAX_PLAINTEXT = 64 * 1024;
    private static final int FINGERPRINT = 8;
    private static final int IV = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final class Key {
        final String name;
        final byte[] fingerprint;
        final Map<Integer, SecretKey> material = new LinkedHashMap<>();
        final Map<Integer, CryptoKeyVersion.CryptoKeyVersionState> states = new LinkedHashMap<>();
        final Map<Integer, Timestamp> versionCreated = new LinkedHashMap<>();
        int primary;
        final Timestamp created;

        Key(String name, Timestamp created) {
            this.name = name;
            this.created = created;
            this.fingerprint = Arrays.copyOf(sha256(name), FINGERPRINT);
        }
    }

    private final Clock clock;
    private final Map<String, Timestamp> rings = new LinkedHashMap<>();
    private final Map<String, Key> keys = new LinkedHashMap<>();

    public KmsState(Clock clock) {
        this.clock = clock;
    }

    public synchronized void createKeyRing(String parent, String id) {
        String name = parent + "/keyRings/" + id;
        if (rings.putIfAbsent(name, now()) != null) {
            throw alreadyExists("KeyRing " + name + " already exists.");
        }
    }

    public synchronized KeyRing ring(String name) {
        Timestamp created = rings.get(name);
        if (created == null) {
            throw notFound("KeyRing " + name + " not found.");
        }
        return KeyRing.newBuilder().setName(name).setCreateTime(created).build();
    }

    /** Key rings of a location ({@code projects/P/locations/L}), in creation order. */
    public synchronized List<KeyRing> rings(String location) {
        return rings.keySet().stream().filter(r -> r.startsWith(location + "/keyRings/")).map(this::ring).toList();
    }

    /** Crypto keys of a key ring, in creation order. */
    public synchronized List<CryptoKey> keys(String ring) {
        ring(ring);
        return keys.values().stream().filter(k -> k.name.startsWith(ring + "/cryptoKeys/")).map(this::describe).toList();
    }

    public synchronized CryptoKeyVersion version(String versionName) {
        Key k = key(versionName.substring(0, Math.max(0, versionName.indexOf("/cryptoKeyVersions/"))));
        int v = versionNumber(versionName);
        if (!k.states.containsKey(v)) {
            throw notFound("CryptoKeyVersion " + versionName + " not found.");
        }
        return version(k, v);
    }

    /** The versions of a key, oldest first. */
    public synchronized List<CryptoKeyVersion> versions(String keyName) {
        Key k = key(keyName);
        return k.states.keySet().stream().map(v -> version(k, v)).toList();
    }

    /** Creates an ENCRYPT_DECRYPT key with version 1 as primary. */
    public synchronized CryptoKey createCryptoKey(String ring, String id) {
        if (!rings.containsKey(ring)) {
            throw notFound("KeyRing " + ring + " not found.");
        }
        String name = ring + "/cryptoKeys/" + id;
        if (keys.containsKey(name)) {
            throw alreadyExists("CryptoKey " + name + " already exists.");
        }
        Key k = new Key(name, now());
        keys.put(name, k);
        addVersion(k);
        k.primary = 1;
        return describe(k);
    }

    public synchronized CryptoKey get(String name) {
        return describe(key(name));
    }

    /** A new version; made primary only by {@link #setPrimary} (manual rotation, §2.3). */
    public synchronized CryptoKeyVersion createVersion(String keyName) {
        Key k = key(keyName);
        return version(k, addVersion(k));
    }

    public synchronized CryptoKey setPrimary(String keyName, int version) {
        Key k = key(keyName);
        if (k.states.get(version) != CryptoKeyVersion.CryptoKeyVersionState.ENABLED) {
            throw failedPrecondition(keyName + "/cryptoKeyVersions/" + version + " is not enabled.");
        }
        k.primary = version;
        return describe(k);
    }

    public synchronized CryptoKeyVersion setState(String versionName, CryptoKeyVersion.CryptoKeyVersionState state) {
        Key k = key(versionName.substring(0, versionName.indexOf("/cryptoKeyVersions/")));
        int v = versionNumber(versionName);
        if (!k.states.containsKey(v)) {
            throw notFound("CryptoKeyVersion " + versionName + " not found.");
        }
        k.states.put(v, state);
        return version(k, v);
    }

    /** Encrypts with the named version, or the key's primary. Returns [version name, ciphertext]. */
    public synchronized Object[] encrypt(String name, byte[] plaintext, byte[] aad) {
        if (plaintext.length > MAX_PLAINTEXT) {
            throw invalid("The plaintext must be 65536 bytes or less.");
        }
        boolean isVersion = name.contains("/cryptoKeyVersions/");
        Key k = key(isVersion ? name.substring(0, name.indexOf("/cryptoKeyVersions/")) : name);
        int v = isVersion ? versionNumber(name) : k.primary;
        requireEnabled(k, v);
        byte[] iv = new byte[IV];
        RANDOM.nextBytes(iv);
        byte[] sealed = gcm(Cipher.ENCRYPT_MODE, k.material.get(v), iv, aad, plaintext);
        ByteBuffer out = ByteBuffer.allocate(FINGERPRINT + 4 + IV + sealed.length);
        out.put(k.fingerprint).putInt(v).put(iv).put(sealed);
        return new Object[] {k.name + "/cryptoKeyVersions/" + v, out.array()};
    }

    /** Decrypts with the version the ciphertext names. Returns [plaintext, used primary]. */
    public synchronized Object[] decrypt(String keyName, byte[] ciphertext, byte[] aad) {
        if (keyName.contains("/cryptoKeyVersions/")) {
            throw invalid("Decrypt takes a CryptoKey name, not a CryptoKeyVersion.");
        }
        Key k = key(keyName);
        if (ciphertext.length < FINGERPRINT + 4 + IV + 16
                || !MessageDigest.isEqual(Arrays.copyOf(ciphertext, FINGERPRINT), k.fingerprint)) {
            throw invalid("Decryption failed: the ciphertext is invalid.");
        }
        ByteBuffer in = ByteBuffer.wrap(ciphertext, FINGERPRINT, ciphertext.length - FINGERPRINT);
        int v = in.getInt();
        if (!k.material.containsKey(v)) {
            throw invalid("Decryption failed: the ciphertext is invalid.");
        }
        requireEnabled(k, v);
        byte[] iv = new byte[IV];
        in.get(iv);
        byte[] sealed = new byte[in.remaining()];
        in.get(sealed);
        return new Object[] {gcm(Cipher.DECRYPT_MODE, k.material.get(v), iv, aad, sealed), v == k.primary};
    }

    private void requireEnabled(Key k, int v) {
        CryptoKeyVersion.CryptoKeyVersionState s = k.states.get(v);
        if (s != CryptoKeyVersion.CryptoKeyVersionState.ENABLED) {
            throw failedPrecondition(k.name + "/cryptoKeyVersions/" + v + " is not enabled, current state is: " + s + ".");
        }
    }

    private int addVersion(Key k) {
        try {
            KeyGenerator gen = KeyGenerator.getInstance("AES");
            gen.init(256);
            int v = k.material.size() + 1;
            k.material.put(v, gen.generateKey());
            k.states.put(v, CryptoKeyVersion.CryptoKeyVersionState.ENABLED);
            k.versionCreated.put(v, now());
            return v;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] gcm(int mode, SecretKey key, byte[] iv, byte[] aad, byte[] data) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, key, new GCMParameterSpec(128, iv));
            c.updateAAD(aad);
            return c.doFinal(data);
        } catch (AEADBadTagException e) {
            throw invalid("Decryption failed: the ciphertext is invalid.");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Key key(String name) {
        Key k = keys.get(name);
        if (k == null) {
            throw notFound("CryptoKey " + name + " not found.");
        }
        return k;
    }

    private CryptoKey describe(Key k) {
        return CryptoKey.newBuilder().setName(k.name).setPurpose(CryptoKey.CryptoKeyPurpose.ENCRYPT_DECRYPT)
                .setCreateTime(k.created).setPrimary(version(k, k.primary))
                .setVersionTemplate(com.google.cloud.kms.v1.CryptoKeyVersionTemplate.newBuilder()
                        .setProtectionLevel(ProtectionLevel.SOFTWARE)
                        .setAlgorithm(CryptoKeyVersion.CryptoKeyVersionAlgorithm.GOOGLE_SYMMETRIC_ENCRYPTION)).build();
    }

    private static CryptoKeyVersion version(Key k, int v) {
        return CryptoKeyVersion.newBuilder().setName(k.name + "/cryptoKeyVersions/" + v).setState(k.states.get(v))
                .setProtectionLevel(ProtectionLevel.SOFTWARE)
                .setAlgorithm(CryptoKeyVersion.CryptoKeyVersionAlgorithm.GOOGLE_SYMMETRIC_ENCRYPTION)
                .setCreateTime(k.versionCreated.get(v)).setGenerateTime(k.versionCreated.get(v)).build();
    }

    private static int versionNumber(String versionName) {
        try {
            return Integer.parseInt(versionName.substring(versionName.lastIndexOf('/') + 1));
        } catch (NumberFormatException e) {
            throw invalid("Invalid CryptoKeyVersion name " + versionName + ".");
        }
    }

    private Timestamp now() {
        return Timestamp.newBuilder().setSeconds(clock.instant().getEpochSecond()).build();
    }

    static ByteString bytes(byte[] b) {
        return ByteString.copyFrom(b);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
