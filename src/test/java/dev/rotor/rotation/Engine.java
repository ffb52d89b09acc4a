package dev.rotor.rotation;

import com.google.cloud.iam.admin.v1.IAMClient;
import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.iam.admin.v1.ListServiceAccountKeysRequest;
import com.google.iam.admin.v1.ServiceAccountKey;
import com.google.protobuf.FieldMask;
import dev.rotor.local.EmulatedContext;
import dev.rotor.policy.RotationState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An emulated Rotor with helpers to declare managed secrets and run passes. */
final class Engine implements AutoCloseable {
    static final String PROJECT = "demo-project";
    final EmulatedContext env;
    final SecretManagerServiceClient client;
    final CrashHook hook = new CrashHook();
    /** Waiting moves the emulator's clock instead of sleeping, so back-off loops see time pass. */
    final AdvancingSleeper sleeper = new AdvancingSleeper();
    private int runs;

    Engine(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(Map.of(
                "rotor.projects", PROJECT,
                "rotor.retry.base-delay", "1ms",
                "rotor.quota.secret-manager.writes-per-minute", "0",
                "rotor.quota.secret-manager.reads-per-minute", "0"));
        props.putAll(extra);
        env = new EmulatedContext(props, Map.of(StepHook.class, hook, dev.rotor.credential.Sleeper.class, sleeper));
        sleeper.clock = env.clock;
        client = env.bean(SecretManagerServiceClient.class);
    }

    Engine() {
        this(Map.of());
    }

    Secret declare(String id, Map<String, String> annotations) {
        return declare(id, annotations, 0);
    }

    Secret declare(String id, Map<String, String> annotations, long destroyTtlSeconds) {
        Secret.Builder b = Secret.newBuilder().putLabels("rotor", "managed").putAllAnnotations(annotations)
                .setReplication(Replication.newBuilder().setAutomatic(Replication.Automatic.getDefaultInstance()));
        if (destroyTtlSeconds > 0) {
            b.setVersionDestroyTtl(com.google.protobuf.Duration.newBuilder().setSeconds(destroyTtlSeconds));
        }
        return client.createSecret("projects/" + PROJECT, id, b.build());
    }

    /** A service account in the emulator, for key and token kinds. */
    String account(String id) {
        return env.emulator.iam().createAccount(PROJECT, id).email();
    }

    /** The account's user-managed keys, through the real IAM client. */
    List<ServiceAccountKey> userKeys(String account) {
        return env.bean(IAMClient.class).listServiceAccountKeys(ListServiceAccountKeysRequest.newBuilder()
                .setName("projects/-/serviceAccounts/" + account)
                .addKeyTypes(ListServiceAccountKeysRequest.KeyType.USER_MANAGED).build()).getKeysList();
    }

    static final class AdvancingSleeper implements dev.rotor.credential.Sleeper {
        volatile dev.rotor.local.MutableClock clock;
        volatile long slept;

        @Override
        public void sleep(java.time.Duration d) {
            clock.advance(d);
            slept += d.toMillis();
        }
    }

    RunReport run() {
        return env.bean(RunService.class).run(new RunService.RunRequest("run-" + (++runs), Set.of(), false));
    }

    /** A run that dies just before {@code step}, as a killed process would; null when it died. */
    RunReport runCrashingAt(Step step) {
        hook.crashAt(step);
        try {
            return run();
        } catch (CrashHook.Crash expected) {
            return null;
        } finally {
            hook.crashAt(null);
        }
    }

    RotationState state(String id) {
        Secret s = client.getSecret(name(id));
        return StateCodec.read(s.getAnnotationsMap(), s.getVersionAliasesMap());
    }

    /** The aliases consumers use, without Rotor's own ({@link StateFence}). */
    Map<String, Long> aliases(String id) {
        return StateFence.visible(rawAliases(id));
    }

    Map<String, Long> rawAliases(String id) {
        return client.getSecret(name(id)).getVersionAliasesMap();
    }

    List<SecretVersion> versions(String id) {
        List<SecretVersion> all = new ArrayList<>();
        client.listSecretVersions(name(id)).iterateAll().forEach(all::add);
        return all;
    }

    String access(String id, String version) {
        return client.accessSecretVersion(name(id) + "/versions/" + version).getPayload().getData().toStringUtf8();
    }

    /** Writes an annotation of its own, as a person or Terraform would, changing the secret's etag. */
    void externalWrite(String id, String key, String value) {
        Secret s = client.getSecret(name(id));
        Map<String, String> a = new HashMap<>(s.getAnnotationsMap());
        a.put(key, value);
        client.updateSecret(s.toBuilder().clearAnnotations().putAllAnnotations(a).build(),
                FieldMask.newBuilder().addPaths("annotations").build());
    }

    static String name(String id) {
        return "projects/" + PROJECT + "/secrets/" + id;
    }

    @Override
    public void close() {
        env.close();
    }
}
