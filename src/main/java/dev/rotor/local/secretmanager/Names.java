package dev.rotor.local.secretmanager;

import java.util.regex.Pattern;

import static dev.rotor.local.Statuses.invalid;

/** Resource-name checks, so a malformed name is INVALID_ARGUMENT as on Google, not a silent miss. */
final class Names {
    private static final Pattern PROJECT = Pattern.compile("projects/[a-z0-9-]{1,63}");
    private static final Pattern SECRET = Pattern.compile("projects/[a-z0-9-]{1,63}/secrets/[A-Za-z0-9_-]{1,255}");

    private Names() {
    }

    static void project(String parent) {
        if (!PROJECT.matcher(parent).matches()) {
            throw invalid("Invalid resource field value in the request: parent [" + parent + "].");
        }
    }

    static void secret(String name) {
        if (!SECRET.matcher(name).matches()) {
            throw invalid("Invalid resource field value in the request: name [" + name + "].");
        }
    }
}
