package dev.rotor.consumer;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.run.v2.TrafficTargetStatus;
import dev.rotor.gcp.GoogleErrors;
import dev.rotor.secret.SecretRef;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Rolls a Cloud Run service (DESIGN §5). Env vars that pin the secret by version number are moved to the
 * new number; otherwise the template annotation {@code rotor.dev/rotated-at} changes. Either makes a new
 * revision (env-var secrets are read at instance start, gcp-api-facts §10.6). It waits for the operation
 * and the revision to be ready, then checks the traffic: a service whose traffic is pinned to an older
 * revision is reported as not serving the new version, never as rolled.
 */
@Singleton
public final class CloudRunRestarter implements Restarter {
    static final String ANNOTATION = "rotor.dev/rotated-at";
    static final long WAIT_MINUTES = 10;
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private final ServicesClient client;
    private final Clock clock;

    public CloudRunRestarter(ServicesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    @Override
    public boolean handles(String target) {
        return target.startsWith("run:");
    }

    @Override
    public void roll(String target, SecretRef ref, long version) {
        String name = target.substring(4);
        Service service;
        try {
            service = client.getService(name);
        } catch (ApiException e) {
            throw GoogleErrors.map("GetService " + name, e);
        }
        Service updated = service.toBuilder().setTemplate(repin(service.getTemplate(), ref, version)).build();
        Service done;
        try {
            done = client.updateServiceAsync(updated).get(WAIT_MINUTES, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ApiException api ? GoogleErrors.map("UpdateService " + name, api)
                    : new IllegalStateException("UpdateService " + name + " failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the new revision of " + name + " was not ready within " + WAIT_MINUTES
                    + " minutes");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name);
        }
        String latest = done.getLatestReadyRevision();
        if (!latest.equals(done.getLatestCreatedRevision())) {
            throw new IllegalStateException("the new revision " + done.getLatestCreatedRevision() + " of " + name
                    + " is not ready");
        }
        String shortName = latest.substring(latest.lastIndexOf('/') + 1);
        for (TrafficTargetStatus t : done.getTrafficStatusesList()) {
            if (t.getPercent() > 0 && !t.getRevision().equals(shortName)) {
                throw new IllegalStateException(name + " is ready on revision " + shortName + ", but " + t.getPercent()
                        + "% of its traffic is pinned to revision " + t.getRevision() + ", which still serves the old "
                        + "version; move the traffic, then the next run retires the old version");
            }
        }
    }

    /** Moves numeric pins of this secret to {@code version}, or stamps the template so a revision is made. */
    private RevisionTemplate repin(RevisionTemplate template, SecretRef ref, long version) {
        RevisionTemplate.Builder b = template.toBuilder();
        boolean pinned = false;
        for (int c = 0; c < b.getContainersCount(); c++) {
            Container.Builder container = b.getContainersBuilder(c);
            for (int i = 0; i < container.getEnvCount(); i++) {
                EnvVar env = container.getEnv(i);
                var selector = env.getValueSource().getSecretKeyRef();
                boolean ours = selector.getSecret().equals(ref.secret()) || selector.getSecret().equals(ref.name());
                if (ours && NUMBER.matcher(selector.getVersion()).matches()) {
                    container.setEnv(i, env.toBuilder().setValueSource(env.getValueSource().toBuilder()
                            .setSecretKeyRef(selector.toBuilder().setVersion(Long.toString(version)))));
                    pinned = true;
                }
            }
        }
        if (!pinned) {
            b.putAnnotations(ANNOTATION, clock.instant().toString());
        }
        return b.build();
    }
}
