package dev.rotor.local.secretmanager;

import com.google.cloud.secretmanager.v1.Secret;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static dev.rotor.local.Statuses.invalid;

/**
 * The subset of Secret Manager's list filter syntax (gcp-api-facts §1.6) that the emulator understands:
 * terms joined by {@code AND} (or a space): {@code labels.K=V}, {@code labels.K:V}, {@code labels.K:*},
 * {@code name:SUBSTRING}. Anything else is INVALID_ARGUMENT rather than a silently wrong listing.
 */
final class SecretFilter {
    private SecretFilter() {
    }

    static Predicate<Secret> parse(String filter) {
        List<Predicate<Secret>> terms = new ArrayList<>();
        for (String term : filter.trim().split("\\s+(?:AND\\s+)?")) {
            if (term.isEmpty() || term.equals("AND")) {
                continue;
            }
            terms.add(term(term));
        }
        return secret -> terms.stream().allMatch(t -> t.test(secret));
    }

    private static Predicate<Secret> term(String term) {
        if (term.startsWith("labels.")) {
            int eq = term.indexOf('=');
            int colon = term.indexOf(':');
            if (eq > 0 && (colon < 0 || eq < colon)) {
                String key = term.substring(7, eq);
                String value = unquote(term.substring(eq + 1));
                return s -> value.equals(s.getLabelsMap().get(key));
            }
            if (colon > 0) {
                String key = term.substring(7, colon);
                String value = unquote(term.substring(colon + 1));
                return value.equals("*") ? s -> s.getLabelsMap().containsKey(key)
                        : s -> s.getLabelsMap().getOrDefault(key, "").contains(value);
            }
        }
        if (term.startsWith("name:")) {
            String part = unquote(term.substring(5));
            return s -> s.getName().substring(s.getName().lastIndexOf('/') + 1).contains(part);
        }
        throw invalid("Invalid filter term [" + term + "]: the emulator supports labels.K=V, labels.K:V, "
                + "labels.K:* and name:S joined by AND.");
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
