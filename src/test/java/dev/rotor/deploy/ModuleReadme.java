package dev.rotor.deploy;

import dev.rotor.deploy.TerraformTree.Block;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A module's README documents its interface: an "## Inputs" table with one row per variable and an
 * "## Outputs" table with one row per output, each row starting with the name in backticks. Checked both
 * ways, so a new variable without a row, or a row for a variable that is gone, fails.
 */
final class ModuleReadme {
    private static final Pattern ROW = Pattern.compile("(?m)^\\|\\s*`([a-z0-9_]+)`\\s*\\|");

    private ModuleReadme() {
    }

    static List<String> mismatches(TerraformTree tree, Path dir) {
        Path readme = dir.resolve("README.md");
        if (!Files.exists(readme)) {
            return List.of(dir + ": no README.md");
        }
        String text;
        try {
            text = Files.readString(readme);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> v = new ArrayList<>();
        compare(v, readme, "Inputs", rows(text, "## Inputs"), names(tree, dir, "variable"));
        compare(v, readme, "Outputs", rows(text, "## Outputs"), names(tree, dir, "output"));
        return v;
    }

    private static Set<String> names(TerraformTree tree, Path dir, String kind) {
        return tree.in(dir, kind).map(Block::name).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> rows(String text, String heading) {
        int at = text.indexOf(heading + "\n");
        if (at < 0) {
            return Set.of();
        }
        int end = text.indexOf("\n## ", at + heading.length());
        Matcher m = ROW.matcher(text.substring(at, end < 0 ? text.length() : end));
        Set<String> rows = new TreeSet<>();
        while (m.find()) {
            rows.add(m.group(1));
        }
        return rows;
    }

    private static void compare(List<String> v, Path readme, String table, Set<String> documented, Set<String> declared) {
        for (String d : declared) {
            if (!documented.contains(d)) {
                v.add(readme + ": " + table + " table has no row for " + d);
            }
        }
        for (String d : documented) {
            if (!declared.contains(d)) {
                v.add(readme + ": " + table + " table documents " + d + ", which is not declared");
            }
        }
    }
}
