package dev.rotor.rotation;

import com.google.cloud.secretmanager.v1.SecretVersion;
import dev.rotor.policy.RotationState;
import dev.rotor.secret.SecretRef;

import java.time.Duration;
import java.util.Map;

/**
 * One emulated Rotor for the {@code Rotator*Test} classes, with the moves their tests share: run and pick one
 * secret's result, an operator's rotation, a write by someone other than Rotor, the state of record.
 */
final class RotatorFixture implements AutoCloseable {
    static final String SERVICE = ConsumersTest.PARENT + "/services/api";
    static final String MISSING = "run:" + ConsumersTest.PARENT + "/services/missing";
    final Engine engine;

    RotatorFixture() {
        engine = new Engine(Map.of("rotor.roll.check-every", "5ms"));
    }

    /** A Cloud Run service that rolls: its revisions become ready at once in the emulator. */
    String service(String id) {
        ConsumersTest.service(engine, id, "latest", false);
        return "run:" + ConsumersTest.PARENT + "/services/" + id;
    }

    SecretResult run(String secret) {
        return engine.run().secrets().stream().filter(s -> s.secret().equals(secret)).findFirst().orElseThrow();
    }

    SecretResult manual(String secret, boolean revoke) {
        return engine.env.bean(ManualRotation.class).rotate(new SecretRef(Engine.PROJECT, secret),
                "operator@demo-project.iam.gserviceaccount.com", "leaked", revoke);
    }

    void advance(Duration d) {
        engine.env.clock.advance(d);
    }

    RotationState state(String secret) {
        return engine.state(secret);
    }

    SecretVersion.State versionState(String secret, int number) {
        return engine.versions(secret).stream().filter(v -> v.getName().endsWith("/versions/" + number))
                .findFirst().orElseThrow().getState();
    }

    /** Writes an annotation of its own, as a person or Terraform would, changing the secret's etag. */
    void externalWrite(String secret, String key, String value) {
        engine.externalWrite(secret, key, value);
    }

    String annotation(String secret, String key) {
        return engine.client.getSecret(Engine.name(secret)).getAnnotationsMap().get(key);
    }

    @Override
    public void close() {
        engine.close();
    }
}
