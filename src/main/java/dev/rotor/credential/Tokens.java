package dev.rotor.credential;

import dev.rotor.error.RemoteException;
import dev.rotor.policy.Policy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * What access and ID tokens share: PERMISSION_DENIED retried within the budget (new grants propagate
 * slowly), and the rule that a published token must outlive the next scheduled run.
 */
final class Tokens {
    private static final Logger LOG = LoggerFactory.getLogger(Tokens.class);

    private Tokens() {
    }

    static TokenMinter.Token mint(String serviceAccount, TokenSettings settings, Sleeper sleeper,
                                  Supplier<TokenMinter.Token> call) {
        try {
            return Backoff.within(settings.permissionBudget(), sleeper,
                    e -> e instanceof RemoteException.PermissionDenied || e instanceof RemoteException.Retryable, call);
        } catch (RemoteException.PermissionDenied e) {
            throw new RemoteException.PermissionDenied("Rotor may not mint tokens for " + serviceAccount
                    + " (still PERMISSION_DENIED after " + settings.permissionBudget().toSeconds() + " s): grant Rotor's "
                    + "service account iam.serviceAccounts.getAccessToken (access tokens) or getOpenIdToken (ID tokens) on it, "
                    + "as Terraform's grants.tf does; a new grant takes 2 to 7 minutes to "
                    + "take effect. Nothing was published", e);
        }
    }

    /** Refuses a token that would expire before the next run could replace it. */
    static void verify(TokenMinter.Token token, Policy policy, TokenSettings settings, Clock clock) {
        Instant now = clock.instant();
        if (token.value() == null || token.value().isBlank()) {
            throw new IllegalStateException("IAM returned an empty token; nothing was published");
        }
        if (!token.expiresAt().isAfter(now.plus(settings.runInterval()))) {
            throw new IllegalStateException("the new token expires at " + token.expiresAt() + ", before the next run ("
                    + settings.runInterval() + " from now) could replace it; nothing was published");
        }
        if (!token.expiresAt().minus(policy.refreshBefore()).isAfter(now)) {
            throw new IllegalStateException("IAM granted a token that expires at " + token.expiresAt() + " ("
                    + Duration.between(now, token.expiresAt()).toMinutes() + " min from now), and rotor.refresh-before "
                    + policy.refreshBefore() + " is not shorter: it would be due at once and every run would publish "
                    + "a new version. Lower rotor.refresh-before below the granted lifetime (IAM grants at most 1 h "
                    + "unless the account may extend it); nothing was published");
        }
        if (policy.refreshBefore().compareTo(settings.runInterval()) <= 0) {
            LOG.warn("rotor.refresh-before {} is not longer than the run interval {}: a token may expire before a "
                    + "run refreshes it", policy.refreshBefore(), settings.runInterval());
        }
    }

    static Duration clamp(Duration lifetime, Duration max) {
        if (lifetime.compareTo(max) > 0) {
            LOG.warn("rotor.lifetime {} is longer than IAM allows ({}); clamped", lifetime, max);
            return max;
        }
        return lifetime;
    }
}
