package dev.rotor.consumer;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.EnvVarSource;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.SecretKeySelector;
import com.google.cloud.run.v2.SecretVolumeSource;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.run.v2.VersionToPath;
import com.google.cloud.run.v2.Volume;
import dev.rotor.local.EmulatedContext;
import dev.rotor.secret.SecretRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Cloud Run restarter through the real v2 client against the emulator (gcp-api-facts §5). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudRunRestarterTest {
    private static final Optional<String> NO_NUMBER = Optional.empty();
    private static final String PARENT = "projects/demo-project/locations/europe-west1";
    private static final SecretRef DB = new SecretRef("demo-project", "db");
    private final EmulatedContext env = new EmulatedContext();
    private final ServicesClient run = env.bean(ServicesClient.class);
    private final CloudRunRestarter restarter = env.bean(CloudRunRestarter.class);
    private final AtomicInteger ids = new AtomicInteger();

    @AfterAll
    void close() {
        env.close();
    }

    private String service(RevisionTemplate template) throws ExecutionException, InterruptedException {
        String id = "svc-" + ids.incrementAndGet();
        return run.createServiceAsync(PARENT, Service.newBuilder().setTemplate(template).build(), id).get().getName();
    }

    private static Container env(String secret, String version) {
        return Container.newBuilder().setImage("europe-docker.pkg.dev/demo-project/app/api:1").addEnv(EnvVar.newBuilder()
                .setName("DB_PASSWORD").setValueSource(EnvVarSource.newBuilder().setSecretKeyRef(
                        SecretKeySelector.newBuilder().setSecret(secret).setVersion(version)))).build();
    }

    private Restarter.Rolled roll(String service, long version) {
        return restarter.roll(new Restarter.Roll("run:" + service, DB, version, false));
    }

    @Test
    void aRollRetriedThreeTimesMakesOneRevision() throws Exception {
        String s = service(RevisionTemplate.newBuilder().addContainers(env("db", "latest")).build());
        assertTrue(roll(s, 4).updated());
        assertFalse(roll(s, 4).updated());
        assertFalse(roll(s, 4).updated());
        assertEquals(2, env.emulator.cloudRun().revisions(s), "the first revision and one for version 4");
        assertTrue(roll(s, 5).updated(), "a new version is a new roll");
        assertEquals("demo-project/db@5", run.getService(s).getTemplate().getAnnotationsMap().get(Stamp.ANNOTATION));
    }

    @Test
    void volumeItemsPinnedByNumberMoveLikeEnvPins() throws Exception {
        String s = service(RevisionTemplate.newBuilder().addContainers(env("projects/demo-project/secrets/db", "3"))
                .addVolumes(Volume.newBuilder().setName("creds").setSecret(SecretVolumeSource.newBuilder().setSecret("db")
                        .addItems(VersionToPath.newBuilder().setPath("pinned").setVersion("3"))
                        .addItems(VersionToPath.newBuilder().setPath("moving").setVersion("latest")))).build());
        roll(s, 4);
        RevisionTemplate t = run.getService(s).getTemplate();
        assertEquals("4", t.getContainers(0).getEnv(0).getValueSource().getSecretKeyRef().getVersion());
        assertEquals(List.of("4", "latest"), t.getVolumes(0).getSecret().getItemsList().stream()
                .map(VersionToPath::getVersion).toList());
    }

    @Test
    void aBareSecretNameMatchesOnlyInTheSecretsOwnProject() throws Exception {
        String other = run.createServiceAsync("projects/other-project/locations/europe-west1", Service.newBuilder()
                .setTemplate(RevisionTemplate.newBuilder().addContainers(env("db", "3"))).build(), "svc-other").get()
                .getName();
        roll(other, 4);
        assertEquals("3", run.getService(other).getTemplate().getContainers(0).getEnv(0).getValueSource()
                .getSecretKeyRef().getVersion(), "\"db\" there is other-project's secret, not demo-project's");
        assertFalse(CloudRunPins.refersTo("projects/demo-project/secrets/db-old", "demo-project", DB, NO_NUMBER));
        assertTrue(CloudRunPins.refersTo("projects/demo-project/secrets/db", "other-project", DB, NO_NUMBER));
        assertFalse(CloudRunPins.refersTo("db", "other-project", DB, NO_NUMBER));
    }

    @Test
    void aSecretNamedByItsProjectNumberIsRecognised() {
        Optional<String> number = Optional.of("123456789012");
        assertTrue(CloudRunPins.refersTo("projects/123456789012/secrets/db", "other-project", DB, number));
        assertTrue(CloudRunPins.refersTo("db", "123456789012", DB, number), "a bare name in the project, by number");
        assertFalse(CloudRunPins.refersTo("projects/999999999999/secrets/db", "other-project", DB, number),
                "another project's number");
        assertFalse(CloudRunPins.refersTo("projects/123456789012/secrets/db", "other-project", DB, NO_NUMBER),
                "a number Rotor has not learnt is not assumed to be the secret's");
    }

    @Test
    void anExplicitRevisionNameIsClearedNeverResent() throws Exception {
        String s = service(RevisionTemplate.newBuilder().setRevision("svc-" + (ids.get() + 1) + "-blue")
                .addContainers(env("db", "3")).build());
        Service created = run.getService(s);
        ExecutionException resent = assertThrows(ExecutionException.class,
                () -> run.updateServiceAsync(created).get(), "the emulator refuses a revision name used before");
        assertInstanceOf(AlreadyExistsException.class, resent.getCause());
        roll(s, 4);
        Service rolled = run.getService(s);
        assertEquals("", rolled.getTemplate().getRevision());
        assertEquals(rolled.getLatestCreatedRevision(), rolled.getLatestReadyRevision());
    }

    @Test
    void servicesAreListedAndDeleted() throws Exception {
        String s = service(RevisionTemplate.newBuilder().addContainers(env("db", "3")).build());
        assertTrue(run.listServices(PARENT).iterateAll().spliterator().estimateSize() > 0);
        List<String> names = new java.util.ArrayList<>();
        run.listServices(PARENT).iterateAll().forEach(x -> names.add(x.getName()));
        assertTrue(names.contains(s), names.toString());
        run.deleteServiceAsync(s).get();
        names.clear();
        run.listServices(PARENT).iterateAll().forEach(x -> names.add(x.getName()));
        assertFalse(names.contains(s));
    }
}
