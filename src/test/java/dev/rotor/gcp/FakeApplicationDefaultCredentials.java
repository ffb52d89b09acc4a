package dev.rotor.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

/**
 * Stands in for Application Default Credentials found on the machine (this one has none, and probing the
 * metadata server would take seconds), so a test can start Rotor exactly as production is configured:
 * {@code rotor.credentials=application-default}, Google's endpoints. Switched on by {@link #PROPERTY}.
 */
@Factory
@Requires(property = FakeApplicationDefaultCredentials.PROPERTY, value = "true")
public class FakeApplicationDefaultCredentials {
    public static final String PROPERTY = "test.fake-application-default-credentials";

    @Singleton
    @Replaces(bean = CredentialsProvider.class, factory = CredentialsFactory.class)
    CredentialsProvider credentials() {
        return FixedCredentialsProvider.create(GoogleCredentials.create(
                new AccessToken("test-token", Date.from(Instant.now().plus(1, ChronoUnit.HOURS)))));
    }
}
