package dev.rotor.credential;

import dev.rotor.policy.Kind;
import dev.rotor.policy.Policy;
import dev.rotor.secret.SecretRef;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * {@code generated}: random secrets from {@link SecureRandom}, rendered as {@code rotor.length} characters
 * of base64url, hex or alphanumerics. Alphanumerics are drawn by rejection sampling, so each character is
 * uniform.
 */
@Singleton
public final class Generated implements CredentialStrategy {
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private final SecureRandom random = new SecureRandom();

    @Override
    public Kind kind() {
        return Kind.GENERATED;
    }

    @Override
    public Minted mint(SecretRef ref, Policy policy, MintContext context) {
        return new Minted(render(policy.format(), policy.length()).getBytes(StandardCharsets.US_ASCII),
                Optional.empty(), Optional.empty());
    }

    @Override
    public void verify(Minted minted, Policy policy) {
        if (minted.payload().length != policy.length()) {
            throw new IllegalStateException("generated value has " + minted.payload().length
                    + " characters, the policy asks for " + policy.length());
        }
    }

    @Override
    public Minted adopt(byte[] payload, Policy policy, java.time.Instant since) {
        return new Minted(payload, Optional.empty(), Optional.empty());
    }

    String render(String format, int length) {
        return switch (format) {
            case "hex" -> {
                byte[] bytes = new byte[(length + 1) / 2];
                random.nextBytes(bytes);
                yield HexFormat.of().formatHex(bytes).substring(0, length);
            }
            case "alnum" -> {
                StringBuilder sb = new StringBuilder(length);
                while (sb.length() < length) {
                    int b = random.nextInt(256);
                    if (b < 248) { // 248 = 4 * 62: keeps the draw uniform
                        sb.append(ALNUM.charAt(b % 62));
                    }
                }
                yield sb.toString();
            }
            default -> {
                byte[] bytes = new byte[(length * 3 + 3) / 4];
                random.nextBytes(bytes);
                yield Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, length);
            }
        };
    }
}
