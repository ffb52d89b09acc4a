package dev.rotor.credential;

import com.nimbusds.jwt.SignedJWT;
import dev.rotor.policy.Kind;
import dev.rotor.policy.Policy;
import dev.rotor.secret.SecretRef;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code id-token}: a Google-signed OIDC ID token of {@code rotor.service-account} for
 * {@code rotor.audience}, with the email included. Its expiry is read from the token itself.
 */
@Singleton
public final class IdTokens extends TokenStrategy {
    public IdTokens(TokenMinter minter, TokenSettings settings, Sleeper sleeper, Clock clock) {
        super(minter, settings, sleeper, clock);
    }

    @Override
    public Kind kind() {
        return Kind.ID_TOKEN;
    }

    @Override
    public Minted mint(SecretRef ref, Policy policy, MintContext context) {
        String sa = policy.serviceAccount().orElseThrow();
        return minted(sa, () -> minter.idToken(sa, policy.audience().orElseThrow(), policy.delegates()));
    }

    /** Well formed, for the declared audience, and alive past the next run. */
    @Override
    public void verify(Minted minted, Policy policy) {
        String token = new String(minted.payload(), StandardCharsets.UTF_8);
        try {
            var claims = SignedJWT.parse(token).getJWTClaimsSet();
            if (!claims.getAudience().contains(policy.audience().orElseThrow())) {
                throw new IllegalStateException("the new ID token is not for audience " + policy.audience().get()
                        + "; nothing was published");
            }
        } catch (ParseException e) {
            throw new IllegalStateException("the new ID token is not a JWT; nothing was published");
        }
        verifyToken(minted, policy);
    }

    @Override
    public Minted adopt(byte[] payload, Policy policy, Instant since) {
        try {
            Instant exp = SignedJWT.parse(new String(payload, StandardCharsets.UTF_8)).getJWTClaimsSet()
                    .getExpirationTime().toInstant();
            return new Minted(payload, Optional.empty(), Optional.of(exp));
        } catch (ParseException | NullPointerException e) {
            throw new IllegalStateException("the version to adopt does not hold an ID token");
        }
    }
}
