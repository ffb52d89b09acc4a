package dev.rotor.api;

import org.junit.jupiter.api.Test;

import java.util.Map;

/** {@code verify} mode (invoker IAM off, or another proxy in front): every token's signature is checked by Rotor. */
class VerifyModeAuthTest extends BadTokenSuite {
    @Override
    Map<String, Object> settings() {
        return Map.of("rotor.auth.mode", "verify", "rotor.emulator.front-end.enabled", "false");
    }

    @Override
    int serverlessHeaderOnly() {
        return 401;
    }

    @Test
    void theFormCloudRunForwardsIsRefused() {
        String token = api.token(Api.OPERATOR);
        expectBearer(401, "GET", "/v1/secrets", token.substring(0, token.lastIndexOf('.') + 1) + "SIGNATURE_REMOVED_BY_GOOGLE");
    }
}
