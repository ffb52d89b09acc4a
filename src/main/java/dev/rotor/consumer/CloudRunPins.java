package dev.rotor.consumer;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.SecretVolumeSource;
import com.google.cloud.run.v2.VersionToPath;
import com.google.cloud.run.v2.Volume;
import dev.rotor.secret.SecretRef;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a Cloud Run revision template pins a secret by version number: env vars
 * ({@code value_source.secret_key_ref {secret, version}}) and secret volumes' items
 * ({@code secret.items[] {path, version}}), gcp-api-facts §5.3. Versions given as {@code latest} or an alias
 * are left alone; the template's new revision re-reads them.
 */
final class CloudRunPins {
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private CloudRunPins() {
    }

    /** The template with every numeric pin of this secret moved to {@code version}. */
    static RevisionTemplate repin(RevisionTemplate template, String serviceProject, SecretRef ref, long version,
                                  Optional<String> projectNumber) {
        RevisionTemplate.Builder b = template.toBuilder();
        String number = Long.toString(version);
        for (int c = 0; c < b.getContainersCount(); c++) {
            Container.Builder container = b.getContainersBuilder(c);
            for (int i = 0; i < container.getEnvCount(); i++) {
                EnvVar env = container.getEnv(i);
                var selector = env.getValueSource().getSecretKeyRef();
                if (refersTo(selector.getSecret(), serviceProject, ref, projectNumber) && NUMBER.matcher(selector.getVersion()).matches()) {
                    container.setEnv(i, env.toBuilder().setValueSource(env.getValueSource().toBuilder()
                            .setSecretKeyRef(selector.toBuilder().setVersion(number))));
                }
            }
        }
        for (int v = 0; v < b.getVolumesCount(); v++) {
            Volume volume = b.getVolumes(v);
            if (!volume.hasSecret() || !refersTo(volume.getSecret().getSecret(), serviceProject, ref, projectNumber)) {
                continue;
            }
            SecretVolumeSource.Builder secret = volume.getSecret().toBuilder();
            for (int i = 0; i < secret.getItemsCount(); i++) {
                VersionToPath item = secret.getItems(i);
                if (NUMBER.matcher(item.getVersion()).matches()) {
                    secret.setItems(i, item.toBuilder().setVersion(number));
                }
            }
            b.setVolumes(v, volume.toBuilder().setSecret(secret));
        }
        return b.build();
    }

    /**
     * Whether a template's secret reference names this secret. Cloud Run takes {@code projects/P/secrets/S}
     * (P an id or a number) or a bare {@code S}, which means a secret in the service's own project
     * (gcp-api-facts §5.3), so a bare name matches only when the service runs in the secret's project.
     * The one place Rotor decides this, so a project-number lookup changes only here.
     */
    static boolean refersTo(String secretField, String serviceProject, SecretRef ref, Optional<String> projectNumber) {
        return ref.isNamedBy(secretField, serviceProject, projectNumber);
    }
}
