package dev.rotor.gcp;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Which credentials every Google client sends ({@link CredentialsFactory}).
 *
 * @param credentials {@value #APPLICATION_DEFAULT} (Application Default Credentials: on Cloud Run the
 *                    service's own service account) or {@value #NONE} (no credentials, for a loopback
 *                    emulator only; {@link FakesGuard} refuses it anywhere else)
 */
@ConfigurationProperties("rotor")
public record CredentialsProperties(
        @Bindable(defaultValue = CredentialsProperties.APPLICATION_DEFAULT) String credentials) {

    public static final String APPLICATION_DEFAULT = "application-default";
    public static final String NONE = "none";

    public CredentialsProperties {
        if (!APPLICATION_DEFAULT.equals(credentials) && !NONE.equals(credentials)) {
            throw new IllegalArgumentException("rotor.credentials must be '" + APPLICATION_DEFAULT + "' or '"
                    + NONE + "', not '" + credentials + "'");
        }
    }

    public boolean none() {
        return NONE.equals(credentials);
    }
}
