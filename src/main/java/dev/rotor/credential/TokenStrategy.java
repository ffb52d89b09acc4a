package dev.rotor.credential;

import dev.rotor.policy.Policy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/** What the token kinds share: the minter, the retry of fresh grants, and the token form of a version. */
abstract class TokenStrategy implements CredentialStrategy {
    protected final TokenMinter minter;
    protected final TokenSettings settings;
    protected final Sleeper sleeper;
    protected final Clock clock;

    TokenStrategy(TokenMinter minter, TokenSettings settings, Sleeper sleeper, Clock clock) {
        this.minter = minter;
        this.settings = settings;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /** Mints through {@link Tokens#mint} (PERMISSION_DENIED retried while a grant propagates). */
    protected Minted minted(String serviceAccount, Supplier<TokenMinter.Token> call) {
        TokenMinter.Token token = Tokens.mint(serviceAccount, settings, sleeper, call);
        return new Minted(token.value().getBytes(StandardCharsets.UTF_8), Optional.empty(), Optional.of(token.expiresAt()));
    }

    /** The common checks: a non-empty token that outlives the next run. */
    protected void verifyToken(Minted minted, Policy policy) {
        Tokens.verify(new TokenMinter.Token(new String(minted.payload(), StandardCharsets.UTF_8),
                minted.expiresAt().orElseThrow()), policy, settings, clock);
    }
}
