package dev.rotor.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external tool (kubectl, gcloud, terraform, chromium, bash) for a test, bounded in time.
 *
 * <p>Why not {@code readAllBytes()} then {@code waitFor(timeout)}: the read blocks until the tool closes its
 * output, so a tool that hangs (a prompt, a network wait) hangs the whole build instead of failing one test, and the
 * timeout is never reached. Here the output goes to files, the wait is bounded, and a tool past its time is killed
 * and the test fails with what it had printed so far.
 */
public final class Command {
    private Command() {
    }

    /** What a finished tool left: its exit code, standard output and standard error. */
    public record Result(int exit, String out, String err) {
    }

    /**
     * Starts {@code pb} with its output and error captured (its input unchanged unless {@code pb} sets it) and waits
     * at most {@code timeout}.
     *
     * @throws AssertionError when the tool does not finish in time (it is killed first)
     */
    public static Result run(ProcessBuilder pb, Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile("rotor-command", ".out");
        Path err = Files.createTempFile("rotor-command", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", pb.command()) + " did not finish within " + timeout
                        + "; output so far: " + Files.readString(out, StandardCharsets.UTF_8) + " "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
