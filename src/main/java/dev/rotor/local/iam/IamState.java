package dev.rotor.local.iam;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.security.SecureRandom;

import static dev.rotor.local.Statuses.failedPrecondition;
import static dev.rotor.local.Statuses.notFound;
import static dev.rotor.local.Statuses.permissionDenied;

/**
 * Emulated service accounts, their keys, and who may mint tokens for them (gcp-api-facts §3, §4). The
 * caller of every IAM call is {@link #caller()}: the emulator has no real identities, so it stands for the
 * service account Rotor runs as.
 */
public final class IamState {
    /** Google's hard limit of user-managed keys per service account (gcp-api-facts §10). */
    public static final int MAX_USER_KEYS = 10;
    public static final String DEFAULT_CALLER = "rotor@demo-project.iam.gserviceaccount.com";
    /** What Google reports as {@code valid_before_time} of a key that never expires. */
    static final Instant NEVER = Instant.parse("9999-12-31T23:59:59Z");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One service account. */
    public static final class Account {
        final String email;
        final String project;
        final String uniqueId;
        final Set<String> tokenCreators = ConcurrentHashMap.newKeySet();
        final Set<String> keyAdmins = ConcurrentHashMap.newKeySet();
        volatile boolean allowLifetimeExtension;
        final List<Key> keys = new ArrayList<>();

        Account(String email, String project, String uniqueId) {
            this.email = email;
            this.project = project;
            this.uniqueId = uniqueId;
        }

        public String email() {
            return email;
        }
    }

    /** One key: a real RSA key pair; user-managed keys carry their JSON key file. */
    public static final class Key {
        final String id;
        final boolean userManaged;
        final RSAKey pair;
        final Instant validAfter;
        final Instant validBefore;
        volatile boolean disabled;

        Key(String id, boolean userManaged, RSAKey pair, Instant validAfter, Instant validBefore) {
            this.id = id;
            this.userManaged = userManaged;
            this.pair = pair;
            this.validAfter = validAfter;
            this.validBefore = validBefore;
        }
    }

    private final Clock clock;
    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private volatile String caller = DEFAULT_CALLER;
    private volatile Duration keyPropagation = Duration.ZERO;
    private volatile boolean keyCreationDisabledByPolicy;
    private volatile Duration keyExpiry;
    private volatile Duration listLag = Duration.ZERO;

    public IamState(Clock clock) {
        this.clock = clock;
    }

    /** Creates a service account; the caller gets token-creator and key-admin on it unless told otherwise. */
    public synchronized Account createAccount(String project, String accountId) {
        String email = accountId + "@" + project + ".iam.gserviceaccount.com";
        Account a = new Account(email, project, Long.toString(100_000_000_000_000_000L + RANDOM.nextLong(1L << 50)));
        a.tokenCreators.add(caller);
        a.keyAdmins.add(caller);
        a.keys.add(new Key(hexId(), false, rsa(), clock.instant(), clock.instant().plus(Duration.ofDays(14))));
        accounts.put(email, a);
        return a;
    }

    public synchronized Account account(String emailOrId) {
        Account a = accounts.get(emailOrId);
        if (a == null) {
            a = accounts.values().stream().filter(x -> x.uniqueId.equals(emailOrId)).findFirst().orElse(null);
        }
        if (a == null) {
            throw notFound("Service account " + emailOrId + " does not exist.");
        }
        return a;
    }

    public String caller() {
        return caller;
    }

    /** Tests and local mode: who calls. */
    public void caller(String email) {
        this.caller = email;
    }

    public void keyPropagation(Duration delay) {
        this.keyPropagation = delay;
    }

    public Duration keyPropagation() {
        return keyPropagation;
    }

    /** The organisation policy {@code iam.disableServiceAccountKeyCreation} (gcp-api-facts §4). */
    public void keyCreationDisabledByPolicy(boolean on) {
        this.keyCreationDisabledByPolicy = on;
    }

    boolean keyCreationDisabledByPolicy() {
        return keyCreationDisabledByPolicy;
    }

    /**
     * The organisation policy {@code constraints/iam.serviceAccountKeyExpiryHours} (8 to 2160 h, for new keys
     * only, gcp-api-facts §4): new user-managed keys get {@code valid_before_time} this long after creation and
     * stop working at the token endpoint then. Null: keys never expire (Google reports 9999-12-31T23:59:59Z).
     */
    public void keyExpiry(Duration hours) {
        this.keyExpiry = hours;
    }

    /**
     * IAM reads are eventually consistent (iam.proto's service comment, gcp-api-facts §4): for this long after
     * its creation a key is missing from ListServiceAccountKeys, while GetServiceAccountKey already finds it.
     */
    public void listLag(Duration lag) {
        this.listLag = lag;
    }

    /** Whether a key shows in lists yet. */
    boolean listed(Key k) {
        return !clock.instant().isBefore(k.validAfter.plus(listLag));
    }

    public void revokeTokenCreator(String email) {
        account(email).tokenCreators.remove(caller);
    }

    public void grantTokenCreator(String email) {
        account(email).tokenCreators.add(caller);
    }

    public void allowLifetimeExtension(String email, boolean allow) {
        account(email).allowLifetimeExtension = allow;
    }

    void requireTokenCreator(Account a, String permission) {
        if (!a.tokenCreators.contains(caller)) {
            throw permissionDenied("Permission '" + permission + "' denied on resource (or it may not exist).");
        }
    }

    void requireKeyAdmin(Account a, String permission) {
        if (!a.keyAdmins.contains(caller)) {
            throw permissionDenied("Permission '" + permission + "' denied on resource (or it may not exist).");
        }
    }

    synchronized Key addUserKey(Account a) {
        long userKeys = a.keys.stream().filter(k -> k.userManaged).count();
        if (userKeys >= MAX_USER_KEYS) {
            // Disabled keys count too [inference]; the real message is this generic one (gcp-api-facts §4).
            throw failedPrecondition("Precondition check failed.");
        }
        Instant now = clock.instant();
        Duration expiry = keyExpiry;
        Key k = new Key(hexId(), true, rsa(), now, expiry == null ? NEVER : now.plus(expiry));
        a.keys.add(k);
        return k;
    }

    synchronized Key key(Account a, String keyId) {
        return a.keys.stream().filter(k -> k.id.equals(keyId)).findFirst()
                .orElseThrow(() -> notFound("Service account key " + keyId + " does not exist."));
    }

    synchronized void deleteKey(Account a, String keyId) {
        a.keys.remove(key(a, keyId));
    }

    /** The key with this id on any account, for the token endpoint. */
    synchronized Map.Entry<Account, Key> findKey(String keyId) {
        for (Account a : accounts.values()) {
            for (Key k : a.keys) {
                if (k.id.equals(keyId)) {
                    return Map.entry(a, k);
                }
            }
        }
        return null;
    }

    /**
     * A key works only once it has propagated, never once disabled, and not from its {@code valid_before_time}
     * on (gcp-api-facts §4).
     */
    boolean usable(Key k) {
        Instant now = clock.instant();
        return !k.disabled && !now.isBefore(k.validAfter.plus(keyPropagation)) && now.isBefore(k.validBefore);
    }

    Clock clock() {
        return clock;
    }

    private static String hexId() {
        byte[] b = new byte[20];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static RSAKey rsa() {
        try {
            return new RSAKeyGenerator(2048).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }
}
