package dev.rotor.credential;

import dev.rotor.error.RemoteException;
import dev.rotor.local.EmulatedContext;
import dev.rotor.local.faults.Faults;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IAM Admin adapter through the official client against the emulator (gcp-api-facts §4): what it reads into
 * Rotor's key records (user-managed keys only; Google's 9999-12-31 sentinel read as "never expires"), which
 * refusals it explains with the way out, and that a key already gone is a disable's or a delete's goal reached.
 */
class IamAdminKeysTest {
    private static EmulatedContext env;
    private static ServiceAccountKeys keys;
    private static int accounts;

    @BeforeAll
    static void start() {
        env = new EmulatedContext();
        keys = env.bean(ServiceAccountKeys.class);
    }

    @AfterEach
    void policiesOff() {
        env.emulator.iam().keyCreationDisabledByPolicy(false);
        env.emulator.iam().keyExpiry(null);
        env.emulator.faults().clear();
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    /** A fresh account; Google gives it a system-managed key of its own, which Rotor never lists. */
    private static String account() {
        return env.emulator.iam().createAccount("demo-project", "admin" + (++accounts)).email();
    }

    @Test
    void onlyUserManagedKeysAreListedWithTheirStateAndCreationTime() {
        String sa = account();
        ServiceAccountKeys.CreatedKey k = keys.create(sa);
        assertTrue(new String(k.json(), StandardCharsets.UTF_8).contains("\"private_key_id\":\"" + k.id() + "\""));
        ServiceAccountKeys.KeyInfo expected = new ServiceAccountKeys.KeyInfo(k.id(), false, env.clock.instant(),
                Optional.empty());
        assertEquals(List.of(expected), keys.userManaged(sa), "the system-managed key is not listed");
        assertEquals(Optional.of(expected), keys.get(sa, k.id()));
        assertEquals(Optional.empty(), k.validBefore(), "Google's sentinel 9999-12-31T23:59:59Z: never expires");
        keys.disable(sa, k.id());
        assertTrue(keys.get(sa, k.id()).orElseThrow().disabled());
        assertTrue(keys.userManaged(sa).getFirst().disabled());
        keys.enable(sa, k.id());
        assertFalse(keys.get(sa, k.id()).orElseThrow().disabled());
    }

    @Test
    void aKeyMadeUnderTheExpiryPolicyCarriesWhenItStopsWorking() {
        String sa = account();
        env.emulator.iam().keyExpiry(Duration.ofHours(8));
        ServiceAccountKeys.CreatedKey k = keys.create(sa);
        Optional<java.time.Instant> eightHours = Optional.of(env.clock.instant().plus(Duration.ofHours(8)));
        assertEquals(eightHours, k.validBefore());
        assertEquals(eightHours, keys.get(sa, k.id()).orElseThrow().validBefore());
        assertEquals(eightHours, keys.userManaged(sa).getFirst().validBefore());
    }

    @Test
    void aKeyAlreadyGoneIsDisabledAndDeletedWithoutErrorButNotEnabled() {
        String sa = account();
        String id = keys.create(sa).id();
        keys.delete(sa, id);
        assertEquals(Optional.empty(), keys.get(sa, id));
        assertDoesNotThrow(() -> keys.delete(sa, id), "a retried delete whose first answer was lost");
        assertDoesNotThrow(() -> keys.disable(sa, id), "a gone key cannot work either");
        RemoteException e = assertThrows(RemoteException.NotFound.class, () -> keys.enable(sa, id));
        assertTrue(e.getMessage().startsWith("EnableServiceAccountKey " + id + " of " + sa + " failed: NOT_FOUND"),
                e.getMessage());
    }

    @Test
    void theKeyCreationPolicyIsNamedWithTheWayOutAndOtherPreconditionsAreNot() {
        String sa = account();
        env.emulator.iam().keyCreationDisabledByPolicy(true);
        RemoteException e = assertThrows(RemoteException.FailedPrecondition.class, () -> keys.create(sa));
        assertEquals("the organisation policy iam.disableServiceAccountKeyCreation forbids keys for " + sa
                + ": exempt its project from the constraint, or manage an access-token secret instead; nothing was "
                + "created", e.getMessage());
        assertEquals(List.of(), keys.userManaged(sa));
        env.emulator.iam().keyCreationDisabledByPolicy(false);
        // a FAILED_PRECONDITION without the policy's violation (e.g. the 10-key limit) is reported as Google said
        env.emulator.faults().fail("CreateServiceAccountKey", Status.Code.FAILED_PRECONDITION, Faults.When.BEFORE, 1);
        e = assertThrows(RemoteException.FailedPrecondition.class, () -> keys.create(sa));
        assertTrue(e.getMessage().startsWith("CreateServiceAccountKey " + sa + " failed: FAILED_PRECONDITION"),
                e.getMessage());
    }

    @Test
    void aPermissionRefusalNamesTheRoleRotorNeedsOnTheAccount() {
        String sa = account();
        String id = keys.create(sa).id();
        Map<String, Consumer<String>> calls = Map.of(
                "ListServiceAccountKeys", keys::userManaged,
                "CreateServiceAccountKey", keys::create,
                "GetServiceAccountKey", a -> keys.get(a, id),
                "DisableServiceAccountKey", a -> keys.disable(a, id),
                "EnableServiceAccountKey", a -> keys.enable(a, id),
                "DeleteServiceAccountKey", a -> keys.delete(a, id));
        calls.forEach((method, call) -> {
            env.emulator.faults().fail(method, Status.Code.PERMISSION_DENIED, Faults.When.BEFORE, 1);
            RemoteException e = assertThrows(RemoteException.PermissionDenied.class, () -> call.accept(sa), method);
            assertTrue(e.getMessage().startsWith(method + " "), e.getMessage());
            assertTrue(e.getMessage().endsWith("; grant Rotor's service account roles/iam.serviceAccountKeyAdmin on "
                    + sa), e.getMessage());
        });
        env.emulator.faults().fail("GetServiceAccountKey", Status.Code.INVALID_ARGUMENT, Faults.When.BEFORE, 1);
        RemoteException other = assertThrows(RemoteException.class, () -> keys.get(sa, id));
        assertFalse(other.getMessage().contains("grant"), "only a permission refusal names the role: " + other.getMessage());
    }
}
