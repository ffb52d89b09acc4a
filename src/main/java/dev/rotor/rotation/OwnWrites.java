package dev.rotor.rotation;

import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secrets as this instance last wrote them, so the listing shows its own writes at once. Secret
 * Manager's lists are eventually consistent ("other operations … typically converge within minutes, but
 * may take a few hours", https://cloud.google.com/secret-manager/docs/reference/consistency,
 * gcp-api-facts §1.7), and the listing is also cached: neither may hide a rotation this instance just made.
 * A remembered write gives way once the listing shows the same etag (it caught up), a later current
 * version (someone rotated since), or after {@link #KEPT}.
 */
@Singleton
public final class OwnWrites {
    /** Long enough for Secret Manager's usual convergence; bounded so an external writer is seen eventually. */
    static final Duration KEPT = Duration.ofMinutes(15);
    private final Map<SecretRef, Written> latest = new ConcurrentHashMap<>();

    private record Written(ManagedSecret secret, long at) {
    }

    void record(ManagedSecret written) {
        latest.put(written.ref(), new Written(written, System.nanoTime()));
    }

    /** {@code listed}, or this instance's own later write of the same secret. */
    ManagedSecret fresher(ManagedSecret listed) {
        Written own = latest.get(listed.ref());
        if (own == null) {
            return listed;
        }
        boolean caughtUp = own.secret().etag().equals(listed.etag())
                || current(listed) > current(own.secret())
                || System.nanoTime() - own.at() > KEPT.toNanos();
        if (caughtUp) {
            latest.remove(listed.ref(), own);
            return listed;
        }
        return own.secret();
    }

    boolean any() {
        return !latest.isEmpty();
    }

    private static long current(ManagedSecret s) {
        Long current = Declared.read(s).stateOrNew().current();
        return current == null ? 0 : current;
    }

    /**
     * Puts every {@link SecretStore} bean behind a recorder of its successful {@code update}s: a dynamic proxy,
     * so every other method of the port passes through unchanged as the port grows. Each is also the one place
     * the state-change log is written from ({@link StateLog}).
     */
    @Singleton
    static final class Recorder implements BeanCreatedEventListener<SecretStore> {
        private final OwnWrites writes;

        Recorder(OwnWrites writes) {
            this.writes = writes;
        }

        @Override
        public SecretStore onCreated(BeanCreatedEvent<SecretStore> event) {
            SecretStore store = event.getBean();
            return (SecretStore) Proxy.newProxyInstance(SecretStore.class.getClassLoader(),
                    new Class<?>[] {SecretStore.class}, (proxy, method, args) -> {
                        Object result;
                        try {
                            result = method.invoke(store, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                        if (method.getName().equals("update") && result instanceof ManagedSecret written) {
                            writes.record(written);
                            StateLog.written(written.ref(), written.annotations());
                        }
                        return result;
                    });
        }
    }
}
