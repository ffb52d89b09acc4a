package dev.rotor.local.frontend;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.util.List;

/**
 * The emulated Cloud Run front end before {@code /v1} (local mode and tests).
 *
 * @param enabled  put the front end in front of {@code /v1}; default off
 * @param invokers emails that hold {@code roles/run.invoker} on the emulated service (Terraform grants it to
 *                 the scheduler and operator service accounts)
 */
@ConfigurationProperties("rotor.emulator.front-end")
public record FrontEndProperties(@Bindable(defaultValue = "false") boolean enabled, @Nullable List<String> invokers) {
    public FrontEndProperties {
        invokers = invokers == null ? List.of() : invokers.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
