package dev.rotor.status;

import dev.rotor.testing.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's headless Chromium, started as issue 16 asks: no sandbox (tests run as root), no GPU, nothing fetched in
 * the background, a fresh profile each time. A machine without it fails the test that needs it with the fix, never
 * skips it: CI ({@code .ci/run}) installs the package.
 */
final class Chromium {
    static final String BINARY = "chromium";
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run");
    private static final long TIMEOUT_SECONDS = 90;

    private Chromium() {
    }

    /** The DOM Chromium built from the page, serialised. */
    static String dumpDom(String url) {
        return run(List.of("--dump-dom", url));
    }

    /** Renders the page into a PNG at {@code png}. */
    static void screenshot(String url, Path png, int width, int height) {
        run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars", url));
    }

    private static String run(List<String> args) {
        Path profile = null;
        try {
            profile = Files.createTempDirectory("rotor-chromium");
            List<String> command = new ArrayList<>(List.of(BINARY));
            command.addAll(FLAGS);
            command.add("--user-data-dir=" + profile);
            command.addAll(args);
            Command.Result r = Command.run(new ProcessBuilder(command), Duration.ofSeconds(TIMEOUT_SECONDS));
            if (r.exit() != 0) {
                fail("chromium exited with " + r.exit() + ": " + r.err());
            }
            return r.out();
        } catch (IOException e) {
            return fail("headless Chromium is needed for the status page test and '" + BINARY + "' could not be "
                    + "started (" + e.getMessage() + "): install Debian's package (apt-get install chromium); "
                    + ".ci/run installs it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while chromium ran");
        } finally {
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary profile left behind is harmless
        }
    }
}
