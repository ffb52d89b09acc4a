package dev.rotor.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.GoogleCredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * The credentials every Google client uses ({@link CredentialsProperties}). Application Default
 * Credentials on Cloud Run are the service's own service account, through the metadata server; none is
 * for the plaintext loopback emulator only.
 */
@Factory
public class CredentialsFactory {
    static final String CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

    @Singleton
    CredentialsProvider credentialsProvider(CredentialsProperties properties) {
        return properties.none() ? NoCredentialsProvider.create()
                : GoogleCredentialsProvider.newBuilder().setScopesToApply(List.of(CLOUD_PLATFORM_SCOPE)).build();
    }
}
