package dev.rotor.status;

import dev.rotor.rotation.SecretResult;
import dev.rotor.rotation.SecretsView.Row;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What about a managed secret needs a person, most urgent first; the page lists secrets with problems first, in
 * this order. Judged from the listing's row alone ({@link Row}): its next due comes from {@code policy/Due}, so
 * the page and a run agree on when a credential is to be replaced.
 */
public enum Problem {
    /** The last attempt failed; its outcome says what failed and the state it left. */
    FAILED("failed"),
    /** The declaration is refused: nothing is rotated until it is fixed. */
    MISCONFIGURED("misconfigured"),
    /** The current credential's expiry has passed. */
    EXPIRED("expired"),
    /** It expires within {@link #EXPIRING_WITHIN} and its time to be replaced (next due) has passed. */
    EXPIRING("expiring"),
    /** A declared consumer does not serve the current version yet. */
    UNROLLED("not rolled");

    /** The 7-day ticket threshold of issue 16's expiry alert. */
    public static final Duration EXPIRING_WITHIN = Duration.ofDays(7);

    private final String label;

    Problem(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static List<Problem> of(Row row, Instant now) {
        List<Problem> problems = new ArrayList<>();
        String outcome = row.lastOutcome() == null ? "" : row.lastOutcome();
        if (outcome.startsWith(SecretResult.FAILED)) {
            problems.add(FAILED);
        }
        if (row.kind() == null || outcome.startsWith(SecretResult.MISCONFIGURED)) {
            problems.add(MISCONFIGURED);
        }
        if (row.expiresAt() != null && !row.expiresAt().isAfter(now)) {
            problems.add(EXPIRED);
        } else if (row.expiresAt() != null && row.expiresAt().isBefore(now.plus(EXPIRING_WITHIN))
                && row.nextDue() != null && !row.nextDue().isAfter(now)) {
            problems.add(EXPIRING);
        }
        if (!row.unrolled().isEmpty()) {
            problems.add(UNROLLED);
        }
        return List.copyOf(problems);
    }

    /**
     * Problems first, by their most urgent problem; then the credential expiring soonest, then the one due
     * soonest; then by name, so the order is stable between two loads.
     */
    public static Comparator<Row> order(Instant now) {
        Comparator<Row> byProblem = Comparator.comparingInt(r -> of(r, now).stream().mapToInt(Enum::ordinal).min()
                .orElse(values().length));
        return byProblem
                .thenComparing(Row::expiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Row::nextDue, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Row::project).thenComparing(Row::secret);
    }
}
