package dev.rotor.logging;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.util.regex.Pattern;

/**
 * How log lines are joined to Cloud Trace ({@link TraceFilter}). Cloud Logging links an entry to its trace
 * when {@code logging.googleapis.com/trace} is {@code projects/PROJECT_ID/traces/TRACE_ID}
 * (https://cloud.google.com/logging/docs/structured-logging#special-payload-fields).
 *
 * @param projectId the project Rotor runs in; unset: the bare trace id is logged
 */
@ConfigurationProperties("rotor.logging")
public record LoggingProperties(@Nullable String projectId) {
    /**
     * Google's project id rule: 6 to 30 lowercase letters, digits or hyphens, starting with a letter and not
     * ending with a hyphen (https://cloud.google.com/resource-manager/docs/creating-managing-projects).
     */
    private static final Pattern PROJECT_ID = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");

    public LoggingProperties {
        if (projectId != null && !projectId.isBlank() && !PROJECT_ID.matcher(projectId).matches()) {
            throw new IllegalArgumentException("rotor.logging.project-id must be a project id (6 to 30 lowercase "
                    + "letters, digits or hyphens), not '" + projectId + "'");
        }
    }
}
