package dev.rotor.status;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Who may open the status page ({@link StatusController}).
 *
 * @param open serve {@code GET /} without a token. Only local mode sets it: its data are the emulator's, and
 *             {@link StatusAccess} refuses to start with it anywhere else. Off, the page sits behind the same
 *             authentication as {@code /v1} (an operator's ID token).
 */
@ConfigurationProperties("rotor.status")
public record StatusProperties(@Bindable(defaultValue = StatusProperties.DEFAULT_OPEN) boolean open) {
    public static final String DEFAULT_OPEN = "false";
}
