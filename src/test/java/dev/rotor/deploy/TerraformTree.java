package dev.rotor.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The top-level blocks of a Terraform tree as text: enough for policy checks that ask "which resources of
 * this type, and what does this attribute say", without a provider. Braces are counted naively, which holds
 * for HCL whose strings keep their braces balanced (interpolations and regex counts do). Syntax itself is
 * checked by HashiCorp's parser in CI (.ci/hcl-check.js).
 */
record TerraformTree(Path root, List<Block> blocks) {
    private static final Pattern HEADER = Pattern.compile("(?m)^(resource|data|module|variable|output|provider|locals|terraform)((?:\\s+\"[^\"]*\")*)\\s*\\{");
    private static final Pattern LABEL = Pattern.compile("\"([^\"]*)\"");

    /** One top-level block: its kind, labels, body text, and the module directory it is in. */
    record Block(String kind, List<String> labels, String body, Path dir) {
        String type() {
            return labels.isEmpty() ? "" : labels.getFirst();
        }

        String name() {
            return labels.size() > 1 ? labels.get(1) : type();
        }

        String where() {
            return dir + ": " + kind + " " + String.join(".", labels);
        }

        /** The value text of a top-level attribute of this block ({@code name = value}), if present. */
        Optional<String> attribute(String attr) {
            Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(attr) + "\\s*=\\s*(.+)$").matcher(body);
            return m.find() ? Optional.of(m.group(1).trim()) : Optional.empty();
        }

        boolean mentions(String text) {
            return body.contains(text);
        }
    }

    /** Copies the tree under {@code from} to {@code to}, so a test can tweak the copy and read both. */
    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    static TerraformTree read(Path root) {
        List<Block> blocks = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".tf") && !p.toString().contains("/.terraform/"))
                    .sorted().toList()) {
                parse(f.getParent(), Files.readString(f), blocks);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TerraformTree(root, List.copyOf(blocks));
    }

    private static void parse(Path dir, String text, List<Block> into) {
        Matcher h = HEADER.matcher(text);
        int from = 0;
        while (h.find(from)) {
            int open = h.end() - 1;
            int depth = 0;
            int i = open;
            for (; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    break;
                }
            }
            List<String> labels = new ArrayList<>();
            Matcher l = LABEL.matcher(h.group(2));
            while (l.find()) {
                labels.add(l.group(1));
            }
            into.add(new Block(h.group(1), List.copyOf(labels), text.substring(open + 1, Math.min(i, text.length())), dir));
            from = Math.min(i + 1, text.length());
        }
    }

    Stream<Block> all(String kind) {
        return blocks.stream().filter(b -> b.kind().equals(kind));
    }

    Stream<Block> resources(String typePattern) {
        return all("resource").filter(b -> b.type().matches(typePattern));
    }

    Stream<Block> in(Path dir, String kind) {
        return all(kind).filter(b -> b.dir().equals(dir));
    }

    /** Text of every .tf file under the root, for checks on whole-tree wording. */
    String text() {
        StringBuilder sb = new StringBuilder();
        blocks.forEach(b -> sb.append(b.body()).append('\n'));
        return sb.toString();
    }
}
