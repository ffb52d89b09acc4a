package dev.rotor.secret;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A secret by project id and secret id. The project is always the <em>id</em> (as configured in
 * {@code rotor.projects} and written in Terraform), never the number, so two references to one secret are
 * equal however Google spelled the name: Secret Manager answers with {@code projects/<number>/...} even when
 * called with the id (GoogleCloudPlatform/python-docs-samples#7212, hashicorp/terraform-provider-google#11343).
 * Names read from Google go through {@link #fromName}. {@link #name()} is also the one form of the envelope's
 * additional authenticated data (DESIGN §6, {@link EnvelopeReader}).
 */
public record SecretRef(String project, String secret) {
    private static final Pattern NAME = Pattern.compile("projects/([^/]+)/secrets/([^/]+)(?:/versions/[^/]+)?");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    /**
     * The reference for a secret or version name that Google returned for a request about {@code project}
     * (an id): the name may carry the id or the project's number. A name of another project is refused.
     */
    public static SecretRef fromName(String name, String project) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a Secret Manager secret or version name");
        }
        String named = m.group(1);
        if (!named.equals(project) && !isProjectNumber(named)) {
            throw new IllegalArgumentException("'" + name + "' is not in project " + project);
        }
        return new SecretRef(project, m.group(2));
    }

    /** The project number in a name Google returned ({@code projects/<number>/...}), if it has one. */
    public static Optional<String> projectNumberIn(String name) {
        Matcher m = NAME.matcher(name);
        return m.matches() && isProjectNumber(m.group(1)) ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * Whether a consumer's reference names this secret. Cloud Run's {@code SecretKeySelector.secret} is
     * "{secret_name} if the secret is in the same project" or "projects/{project}/secrets/{secret_name}"
     * (google/cloud/run/v2/k8s.min.proto; gcp-api-facts §5.3), where {project} is the id or the number. So a bare
     * name matches only when the consumer is in the secret's own project ({@code consumerProject}, id or number).
     * {@code projectNumber} is this secret's project number when known (from {@link #projectNumberIn}).
     */
    public boolean isNamedBy(String reference, String consumerProject, Optional<String> projectNumber) {
        if (!reference.contains("/")) {
            return reference.equals(secret) && isOwnProject(consumerProject, projectNumber);
        }
        Matcher m = NAME.matcher(reference);
        return m.matches() && m.group(2).equals(secret) && isOwnProject(m.group(1), projectNumber);
    }

    private boolean isOwnProject(String idOrNumber, Optional<String> projectNumber) {
        return idOrNumber.equals(project) || projectNumber.filter(idOrNumber::equals).isPresent();
    }

    private static boolean isProjectNumber(String segment) {
        return NUMBER.matcher(segment).matches();
    }

    public String name() {
        return "projects/" + project + "/secrets/" + secret;
    }

    public String version(long number) {
        return name() + "/versions/" + number;
    }

    @Override
    public String toString() {
        return name();
    }
}
