package dev.rotor.gcp;

import java.util.Arrays;
import java.util.Optional;

/**
 * The Google services Rotor talks to, each with its configuration name ({@code rotor.gcp.<name>.*}) and
 * Google's default endpoint (gRPC, except Compute, which is REST-only).
 */
public enum GcpService {
    SECRET_MANAGER("secret-manager", "secretmanager.googleapis.com:443"),
    KMS("kms", "cloudkms.googleapis.com:443"),
    IAM_CREDENTIALS("iam-credentials", "iamcredentials.googleapis.com:443"),
    IAM_ADMIN("iam-admin", "iam.googleapis.com:443"),
    CLOUD_RUN("cloud-run", "run.googleapis.com:443"),
    CONTAINER("container", "container.googleapis.com:443"),
    /** REST only (gcp-api-facts §8.2): the endpoint is a URL, and the channel an HTTP/JSON one. */
    COMPUTE("compute", "https://compute.googleapis.com");

    private final String configName;
    private final String defaultEndpoint;

    GcpService(String configName, String defaultEndpoint) {
        this.configName = configName;
        this.defaultEndpoint = defaultEndpoint;
    }

    public String configName() {
        return configName;
    }

    public String defaultEndpoint() {
        return defaultEndpoint;
    }

    public static Optional<GcpService> byConfigName(String name) {
        return Arrays.stream(values()).filter(s -> s.configName.equals(name)).findFirst();
    }
}
