package dev.rotor.local;

/**
 * Which published quota each emulated RPC counts against (gcp-api-facts §1.9): Secret Manager's access,
 * read (get and list) and write (everything else) quotas per project per minute.
 */
final class QuotaCategories {
    private static final String SECRET_MANAGER = "google.cloud.secretmanager.v1.SecretManagerService/";

    private QuotaCategories() {
    }

    static String of(String fullMethodName) {
        if (!fullMethodName.startsWith(SECRET_MANAGER)) {
            return null;
        }
        String method = fullMethodName.substring(SECRET_MANAGER.length());
        if (method.equals("AccessSecretVersion")) {
            return "secretmanager.access";
        }
        if (method.startsWith("Get") || method.startsWith("List") || method.equals("TestIamPermissions")) {
            return "secretmanager.read";
        }
        return "secretmanager.write";
    }

    /**
     * The per-resource write rate an RPC counts against, or null: AddSecretVersion and UpdateSecret per secret,
     * Enable, Disable and DestroySecretVersion per version (https://cloud.google.com/secret-manager/quotas).
     */
    static String perResource(String fullMethodName) {
        if (!fullMethodName.startsWith(SECRET_MANAGER)) {
            return null;
        }
        return switch (fullMethodName.substring(SECRET_MANAGER.length())) {
            case "AddSecretVersion", "UpdateSecret" -> "secretmanager.secret-write";
            case "EnableSecretVersion", "DisableSecretVersion", "DestroySecretVersion" -> "secretmanager.version-write";
            default -> null;
        };
    }
}
