package dev.rotor.consumer;

import dev.rotor.secret.SecretRef;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a restart rolled, written on the restarted template (Reloader's rule: stamp the content, not the
 * time). One annotation holds one entry per secret ({@code db@3,api-key@7}), so a target consuming several
 * secrets keeps each one's stamp; the entry names the secret by id, because its project may be written as an
 * id or a number and the target's own project is the consumer's, not necessarily the secret's.
 */
public final class Stamp {
    /** The annotation on a Cloud Run revision template or a Kubernetes pod template. */
    public static final String ANNOTATION = "rotor.dev/rolled";

    private Stamp() {
    }

    /** This secret's entry: {@code <project>/<secret>@<version>}. */
    public static String of(SecretRef ref, long version) {
        return ref.project() + "/" + ref.secret() + "@" + version;
    }

    /** Whether an annotation value already carries the entry of this roll. */
    public static boolean carries(String annotation, SecretRef ref, long version) {
        return annotation != null && entries(annotation).get(key(ref)) instanceof String v
                && v.equals(Long.toString(version));
    }

    /** The annotation value with this secret's entry set to {@code version}, the others kept. */
    public static String merge(String annotation, SecretRef ref, long version) {
        Map<String, String> entries = entries(annotation == null ? "" : annotation);
        entries.put(key(ref), Long.toString(version));
        return entries.entrySet().stream().map(e -> e.getKey() + "@" + e.getValue()).collect(Collectors.joining(","));
    }

    private static String key(SecretRef ref) {
        return ref.project() + "/" + ref.secret();
    }

    private static Map<String, String> entries(String annotation) {
        Map<String, String> entries = new LinkedHashMap<>();
        Arrays.stream(annotation.split(",")).map(String::trim).filter(s -> s.lastIndexOf('@') > 0)
                .forEach(s -> entries.put(s.substring(0, s.lastIndexOf('@')), s.substring(s.lastIndexOf('@') + 1)));
        return entries;
    }
}
