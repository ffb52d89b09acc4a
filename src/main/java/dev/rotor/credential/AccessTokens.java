package dev.rotor.credential;

import dev.rotor.error.RemoteException;
import dev.rotor.policy.Kind;
import dev.rotor.policy.Policy;
import dev.rotor.secret.SecretRef;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code access-token}: an OAuth2 access token of {@code rotor.service-account}, stored bare so consumers
 * use it as is. Lifetimes above 1 h need the account to be allowed lifetime extension by organisation
 * policy (up to 12 h, gcp-api-facts §3); when IAM refuses, Rotor mints 1 h tokens and says so.
 */
@Singleton
public final class AccessTokens extends TokenStrategy {
    static final Duration STANDARD_MAX = Duration.ofHours(1);
    static final Duration EXTENDED_MAX = Duration.ofHours(12);
    private static final Logger LOG = LoggerFactory.getLogger(AccessTokens.class);

    public AccessTokens(TokenMinter minter, TokenSettings settings, Sleeper sleeper, Clock clock) {
        super(minter, settings, sleeper, clock);
    }

    @Override
    public Kind kind() {
        return Kind.ACCESS_TOKEN;
    }

    @Override
    public Minted mint(SecretRef ref, Policy policy, MintContext context) {
        String sa = policy.serviceAccount().orElseThrow();
        Duration lifetime = Tokens.clamp(policy.lifetime(), EXTENDED_MAX);
        try {
            return mintFor(sa, policy, lifetime);
        } catch (RemoteException.FailedPrecondition | RemoteException.Fatal e) {
            // Google answers HTTP 400 naming the constraint (FAILED_PRECONDITION in the emulator, see
            // docs/emulator.md); INVALID_ARGUMENT, the other 400, is taken the same way: a 1 h request that
            // fails again fails for its own reason.
            if (lifetime.compareTo(STANDARD_MAX) <= 0) {
                throw e;
            }
            LOG.warn("IAM refused a {} token for {} (the account is not allowed lifetime extension by "
                    + "constraints/iam.allowServiceAccountCredentialLifetimeExtension); minting 1 h tokens", lifetime, sa);
            return mintFor(sa, policy, STANDARD_MAX);
        }
    }

    private Minted mintFor(String sa, Policy policy, Duration lifetime) {
        return minted(sa, () -> minter.accessToken(sa, policy.scopes(), lifetime, policy.delegates()));
    }

    @Override
    public void verify(Minted minted, Policy policy) {
        verifyToken(minted, policy);
    }

    /** An access token is opaque: its expiry is taken as the earliest it can be, from when the attempt began. */
    @Override
    public Minted adopt(byte[] payload, Policy policy, Instant since) {
        Duration lifetime = policy.lifetime().compareTo(STANDARD_MAX) < 0 ? policy.lifetime() : STANDARD_MAX;
        return new Minted(payload, Optional.empty(), Optional.of(since.plus(lifetime)));
    }
}
