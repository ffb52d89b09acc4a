package dev.rotor.metrics;

import dev.rotor.credential.ServiceAccountKeys;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What Rotor's own key listings showed, so key ages cost no Google call of their own: every
 * {@code ListServiceAccountKeys} a mint or the daily audit makes (and every key read by id) passes through here,
 * a dynamic proxy put in front of the {@link ServiceAccountKeys} bean. Per account it keeps the creation time
 * ({@code valid_after_time}) of the oldest enabled user-managed key, Rotor's or not (a disabled key cannot be
 * used, and Rotor keeps the keys it retired disabled until Google's 10-key limit needs the room), and per key
 * its creation time. Bounded by the managed accounts and their at most 10 keys each.
 */
@Singleton
final class KeyListings implements BeanCreatedEventListener<ServiceAccountKeys> {
    private final Map<String, Optional<Instant>> oldestByAccount = new ConcurrentHashMap<>();
    private final Map<String, Instant> createdByKey = new ConcurrentHashMap<>();

    @Override
    public ServiceAccountKeys onCreated(BeanCreatedEvent<ServiceAccountKeys> event) {
        ServiceAccountKeys keys = event.getBean();
        return (ServiceAccountKeys) Proxy.newProxyInstance(ServiceAccountKeys.class.getClassLoader(),
                new Class<?>[] {ServiceAccountKeys.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(keys, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("userManaged") && result instanceof List<?> listed) {
                        listed((String) args[0], listed);
                    } else if (method.getName().equals("get") && result instanceof Optional<?> one) {
                        one.ifPresent(k -> createdByKey.put(((ServiceAccountKeys.KeyInfo) k).id(),
                                ((ServiceAccountKeys.KeyInfo) k).validAfter()));
                    }
                    return result;
                });
    }

    private void listed(String account, List<?> listed) {
        Instant oldest = null;
        for (Object o : listed) {
            ServiceAccountKeys.KeyInfo k = (ServiceAccountKeys.KeyInfo) o;
            createdByKey.put(k.id(), k.validAfter());
            if (!k.disabled() && (oldest == null || k.validAfter().isBefore(oldest))) {
                oldest = k.validAfter();
            }
        }
        oldestByAccount.put(account, Optional.ofNullable(oldest));
    }

    /** Empty when this instance has not listed the account; an empty inner value when it has no enabled key. */
    Optional<Optional<Instant>> oldestEnabled(String account) {
        return Optional.ofNullable(oldestByAccount.get(account));
    }

    Optional<Instant> created(String keyId) {
        return Optional.ofNullable(createdByKey.get(keyId));
    }
}
