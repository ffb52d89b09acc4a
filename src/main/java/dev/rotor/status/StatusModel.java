package dev.rotor.status;

import dev.rotor.rotation.SecretsView.Row;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the page shows, as display text: every value is computed here from the listing's rows, so the template
 * only places (and escapes) it. No arithmetic of its own on policy: next due and expiry come from the row, which
 * {@code policy/Due} computed.
 */
public record StatusModel(String generatedAt, int total, int withProblems, List<Secret> secrets) {

    /** One secret's row. {@code tone} is {@code problem} or {@code ok}; the lists are never null. */
    public record Secret(String id, String project, String secret, String kind, String version, String age,
                         String createdAt, String expires, String expiresAt, String nextDue, String nextDueAt,
                         String outcome, String tone, List<String> problems, Timeline timeline,
                         List<Consumer> consumers) {
    }

    /**
     * The credential's life as a bar: from its creation to its expiry (or to its next due when it never
     * expires), filled up to now, with a mark where it is due to be replaced.
     */
    public record Timeline(boolean shown, int elapsed, boolean marked, int due, String tone, String label) {
        static final Timeline NONE = new Timeline(false, 0, false, 0, "ok", "never rotated");
    }

    /** A declared consumer and the version it last confirmed serving. */
    public record Consumer(String target, String serves, boolean rolled, String note) {
    }

    public static StatusModel of(List<Row> rows, Instant now) {
        List<Secret> secrets = rows.stream().sorted(Problem.order(now)).map(r -> secret(r, now)).toList();
        int problems = (int) secrets.stream().filter(s -> !s.problems().isEmpty()).count();
        return new StatusModel(now.toString(), secrets.size(), problems, secrets);
    }

    private static Secret secret(Row r, Instant now) {
        List<String> problems = Problem.of(r, now).stream().map(Problem::label).toList();
        String version = r.currentVersion() == null ? "none" : "v" + r.currentVersion();
        String age = r.createdAt() == null ? "never rotated" : span(Duration.between(r.createdAt(), now));
        String expires = expires(r, now);
        String nextDue = r.nextDue() == null ? "not scheduled" : relative(r.nextDue(), now, "due ");
        String outcome = r.lastOutcome() == null ? "none yet" : r.lastOutcome();
        return new Secret(r.project() + "/" + r.secret(), r.project(), r.secret(), r.kind() == null ? "unknown" : r.kind(),
                version, age, text(r.createdAt()), expires, text(r.expiresAt()), nextDue, text(r.nextDue()), outcome,
                problems.isEmpty() ? "ok" : "problem", problems, timeline(r, now), consumers(r, now));
    }

    private static Timeline timeline(Row r, Instant now) {
        Instant end = r.expiresAt() != null ? r.expiresAt() : r.nextDue();
        if (r.createdAt() == null || end == null || !end.isAfter(r.createdAt())) {
            return r.createdAt() == null ? Timeline.NONE
                    : new Timeline(false, 0, false, 0, "ok", "no end in view");
        }
        int elapsed = percent(r.createdAt(), now, end);
        boolean marked = r.expiresAt() != null && r.nextDue() != null && r.nextDue().isBefore(r.expiresAt());
        int due = marked ? percent(r.createdAt(), r.nextDue(), end) : 0;
        boolean late = !now.isBefore(end) || (r.nextDue() != null && !now.isBefore(r.nextDue()));
        String tone = r.expiresAt() != null && !now.isBefore(r.expiresAt()) ? "late" : late ? "due" : "ok";
        String label = r.expiresAt() != null ? expires(r, now) : (r.nextDue().isAfter(now) ? "due " : "")
                + relative(r.nextDue(), now, "due ");
        return new Timeline(true, elapsed, marked, due, tone, label);
    }

    private static List<Consumer> consumers(Row r, Instant now) {
        return r.consumers().stream().map(target -> {
            Long served = r.rolled().get(target);
            boolean rolled = !r.unrolled().contains(target);
            String serves = served == null ? "nothing confirmed" : "v" + served;
            String note = rolled ? "rolled" : r.createdAt() == null ? "waiting"
                    : "waiting " + span(Duration.between(r.createdAt(), now));
            return new Consumer(target, serves, rolled, note);
        }).toList();
    }

    private static String expires(Row r, Instant now) {
        return r.expiresAt() == null ? "never expires"
                : (r.expiresAt().isAfter(now) ? "expires " : "") + relative(r.expiresAt(), now, "expired ");
    }

    /** {@code in 3d 4h} ahead; once passed, {@code <past>5m ago} or {@code <past>now} ({@code due now}). */
    static String relative(Instant at, Instant now, String past) {
        Duration ago = Duration.between(at, now);
        return at.isAfter(now) ? "in " + span(ago.negated()) : ago.toSeconds() < 1 ? past + "now"
                : past + span(ago) + " ago";
    }

    /** A duration the way an operator reads it: its two largest units ({@code 3d 4h}, {@code 2h 5m}, {@code 40s}). */
    static String span(Duration d) {
        Duration a = d.abs();
        if (a.toDays() > 0) {
            return a.toDays() + "d " + a.toHoursPart() + "h";
        }
        if (a.toHours() > 0) {
            return a.toHours() + "h " + a.toMinutesPart() + "m";
        }
        return a.toMinutes() > 0 ? a.toMinutes() + "m " + a.toSecondsPart() + "s" : a.toSeconds() + "s";
    }

    private static int percent(Instant start, Instant at, Instant end) {
        double total = Duration.between(start, end).toMillis();
        double part = Duration.between(start, at).toMillis();
        return (int) Math.max(0, Math.min(100, Math.round(part * 100 / total)));
    }

    private static String text(Instant at) {
        return at == null ? "" : at.toString();
    }
}
