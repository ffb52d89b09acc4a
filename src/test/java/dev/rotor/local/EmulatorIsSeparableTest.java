package dev.rotor.local;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The emulator could be split into its own artifact: nothing in {@code local/} imports Rotor's own packages,
 * except the Micronaut glue that plugs it into Rotor (the channel seam, the OIDC seam, local mode's greeting,
 * the emulated Cloud Run front end, an HTTP filter before Rotor's own /v1).
 */
class EmulatorIsSeparableTest {
    /** Rotor-side wiring that lives in {@code local/} and would stay with Rotor. */
    private static final Set<String> GLUE = Set.of("EmulatorFactory.java", "EmulatorChannels.java",
            "EmulatorJwks.java", "Greeting.java", "CloudRunFrontEnd.java");

    @Test
    void theEmulatorImportsNothingOfRotorsOwn() throws IOException {
        List<String> offending;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/rotor/local"))) {
            offending = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !GLUE.contains(f.getFileName().toString()))
                    .flatMap(f -> lines(f).stream().filter(l -> l.startsWith("import dev.rotor.")
                            && !l.startsWith("import dev.rotor.local")).map(l -> f.getFileName() + ": " + l))
                    .toList();
        }
        assertEquals(List.of(), offending);
    }

    private static List<String> lines(Path f) {
        try {
            return Files.readAllLines(f);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
