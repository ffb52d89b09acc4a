package dev.rotor.api;

import dev.rotor.secret.SecretRef;

import java.util.regex.Pattern;

/**
 * Google's resource-name rules, checked before any call: a project id is 6 to 30 lowercase letters, digits
 * and hyphens, starting with a letter and not ending with a hyphen; a secret id is 1 to 255 letters, digits,
 * hyphens and underscores (gcp-api-facts §1.1). So {@code ../}, empty, overlong and non-ASCII names are
 * refused here and nothing reaches Google.
 */
final class Names {
    private static final Pattern PROJECT = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{1,255}");

    private Names() {
    }

    static SecretRef secret(String project, String secret) {
        if (project == null || !PROJECT.matcher(project).matches()) {
            throw ProblemException.badRequest("'" + clip(project) + "' is not a valid project id (6 to 30 lowercase "
                    + "letters, digits and hyphens, starting with a letter)");
        }
        if (secret == null || !SECRET.matcher(secret).matches()) {
            throw ProblemException.badRequest("'" + clip(secret) + "' is not a valid secret id (1 to 255 letters, "
                    + "digits, '-' and '_')");
        }
        return new SecretRef(project, secret);
    }

    private static String clip(String s) {
        if (s == null) {
            return "";
        }
        String printable = s.codePoints().limit(64)
                .map(c -> c < 0x20 || c > 0x7e ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return s.length() > 64 ? printable + "..." : printable;
    }
}
