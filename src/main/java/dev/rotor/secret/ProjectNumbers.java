package dev.rotor.secret;

import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The project numbers Rotor has seen, learnt from the names Secret Manager returns ({@code projects/<number>/...}
 * for a request about the project id; see {@link SecretRef}). A consumer may name a secret by its project number
 * (e.g. a Cloud Run {@code SecretKeySelector.secret} of {@code projects/<number>/secrets/S}), and this is how
 * Rotor recognises it without a Resource Manager call: {@code ref.isNamedBy(reference, consumerProject,
 * numbers.of(ref.project()))}.
 */
@Singleton
public final class ProjectNumbers {
    private final Map<String, String> byProject = new ConcurrentHashMap<>();

    /** Records the number in {@code name}, a name Google returned for a request about {@code project}. */
    public void learn(String project, String name) {
        SecretRef.projectNumberIn(name).ifPresent(number -> byProject.put(project, number));
    }

    /** The project's number, once a Secret Manager answer has shown it. */
    public Optional<String> of(String project) {
        return Optional.ofNullable(byProject.get(project));
    }
}
