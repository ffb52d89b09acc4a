package dev.rotor.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.GoogleCredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * The credentials every Google client uses. {@code application-default} (the default) is Application
 * Default Credentials: on Cloud Run, the service's own service account through the metadata server.
 * {@code none} is for the plaintext loopback emulator only.
 */
@Factory
public class CredentialsFactory {
    public static final String APPLICATION_DEFAULT = "application-default";
    public static final String NONE = "none";
    static final String CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

    @Singleton
    CredentialsProvider credentialsProvider(
            @Property(name = "rotor.credentials", defaultValue = APPLICATION_DEFAULT) String mode) {
        return switch (mode) {
            case APPLICATION_DEFAULT -> GoogleCredentialsProvider.newBuilder()
                    .setScopesToApply(List.of(CLOUD_PLATFORM_SCOPE)).build();
            case NONE -> NoCredentialsProvider.create();
            default -> throw new ConfigurationException("rotor.credentials must be '" + APPLICATION_DEFAULT
                    + "' or '" + NONE + "', not '" + mode + "'");
        };
    }
}
