package dev.rotor.local;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every emulated project has an id and a number, as on Google. Secret Manager accepts either in a resource
 * name and answers with the number, even when called with the id: {@code gcloud secrets describe} prints
 * {@code projects/<PROJECT_NUM>/secrets/...} (GoogleCloudPlatform/python-docs-samples#7212, where a maintainer
 * confirms that either form is accepted in a request) and the Terraform provider's {@code name} "always resolves
 * to the project number" (hashicorp/terraform-provider-google#11343, #5963). A project id starts with a lowercase
 * letter (https://cloud.google.com/resource-manager/docs/creating-managing-projects), so an all-digit segment is
 * always a number. A number is derived from the id unless one is {@linkplain #register registered}, so a
 * standalone emulator gives a project the same number on every start.
 */
public final class Projects {
    private static final Pattern PROJECT_SEGMENT = Pattern.compile("^projects/([^/]+)");
    private static final long FIRST = 100_000_000_000L;
    private final Map<String, String> numberById = new ConcurrentHashMap<>();
    private final Map<String, String> idByNumber = new ConcurrentHashMap<>();

    /** Gives {@code id} the number {@code number} (before the project is first used). */
    public void register(String id, long number) {
        String n = Long.toString(number);
        String taken = idByNumber.putIfAbsent(n, id);
        if (taken != null && !taken.equals(id)) {
            throw new IllegalArgumentException("project number " + n + " already belongs to " + taken);
        }
        numberById.put(id, n);
    }

    /** The project's number, for an id or a number. */
    public String number(String idOrNumber) {
        if (isNumber(idOrNumber)) {
            return idOrNumber;
        }
        return numberById.computeIfAbsent(idOrNumber, id -> {
            long n = FIRST + Crc32c.of(id.getBytes(StandardCharsets.UTF_8)) * 97 % (9 * FIRST);
            while (idByNumber.putIfAbsent(Long.toString(n), id) != null) {
                n++;
            }
            return Long.toString(n);
        });
    }

    /** The project's id, for a number this emulator gave out or registered; otherwise the input unchanged. */
    public String id(String idOrNumber) {
        return isNumber(idOrNumber) ? idByNumber.getOrDefault(idOrNumber, idOrNumber) : idOrNumber;
    }

    /** {@code name} with its leading {@code projects/<id or number>} in the number form Google returns. */
    public String withNumber(String name) {
        Matcher m = PROJECT_SEGMENT.matcher(name);
        return m.find() ? "projects/" + number(m.group(1)) + name.substring(m.end()) : name;
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
