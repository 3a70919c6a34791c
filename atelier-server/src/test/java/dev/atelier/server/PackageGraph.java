package dev.atelier.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which package of the server uses which, read from the source files: every {@code import} (static
 * and on demand too) and every fully qualified name in code, with comments and string literals
 * left out. Each edge keeps one file that makes it, so that a failure names where to look.
 * Not thread-safe; built once per test.
 */
final class PackageGraph {
    static final String ROOT = "dev.atelier.server";
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    /** A qualified type name ({@code dev.atelier.server.jobs.JobService}) or an on-demand import ({@code ...jobs.*}). */
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.atelier\\.server((?:\\.[a-z_][a-z0-9_]*)*)\\s*\\.\\s*(?:[A-Z]|\\*)");

    private final SortedSet<String> packages = new TreeSet<>();
    /** package → package it uses → one file that uses it. */
    private final Map<String, Map<String, Path>> edges = new TreeMap<>();
    private int files;

    static PackageGraph of(Path sourceRoot) {
        PackageGraph graph = new PackageGraph();
        try (Stream<Path> paths = Files.walk(sourceRoot)) {
            paths.filter(path -> path.toString().endsWith(".java")).sorted().forEach(path -> graph.add(sourceRoot, path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return graph;
    }

    private void add(Path sourceRoot, Path file) {
        String code;
        try {
            code = withoutCommentsAndStrings(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher declared = PACKAGE.matcher(code);
        if (!declared.find()) {
            return;
        }
        String from = declared.group(1);
        files++;
        packages.add(from);
        Matcher reference = REFERENCE.matcher(code);
        while (reference.find()) {
            String to = ROOT + reference.group(1);
            if (!to.equals(from)) {
                edges.computeIfAbsent(from, key -> new TreeMap<>()).putIfAbsent(to, sourceRoot.relativize(file));
            }
        }
    }

    int files() {
        return files;
    }

    SortedSet<String> packages() {
        return packages;
    }

    /** The packages {@code from} uses, each with one file that uses it. */
    Map<String, Path> uses(String from) {
        return edges.getOrDefault(from, Map.of());
    }

    /** Every package that uses {@code to}, each with one file that does. */
    Map<String, Path> usedBy(String to) {
        Map<String, Path> users = new TreeMap<>();
        edges.forEach((from, targets) -> {
            if (targets.containsKey(to)) {
                users.put(from, targets.get(to));
            }
        });
        return users;
    }

    /** The strongly connected components of more than one package, each sorted, in a stable order. */
    List<SortedSet<String>> cycles() {
        Tarjan tarjan = new Tarjan();
        for (String node : packages) {
            if (!tarjan.index.containsKey(node)) {
                tarjan.visit(node);
            }
        }
        return tarjan.components.stream().filter(component -> component.size() > 1)
                .sorted((a, b) -> a.first().compareTo(b.first())).toList();
    }

    /** A cycle as text: its packages and every edge between two of them, with one file that makes it. */
    String describe(Set<String> cycle) {
        StringBuilder text = new StringBuilder("cycle between " + cycle + ":\n");
        for (String from : cycle) {
            uses(from).forEach((to, file) -> {
                if (cycle.contains(to)) {
                    text.append("  ").append(from).append(" -> ").append(to).append("  (").append(file).append(")\n");
                }
            });
        }
        return text.toString();
    }

    /** Tarjan's strongly connected components; recursive, as the graph has a few dozen nodes. */
    private final class Tarjan {
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new TreeSet<>();
        private final List<SortedSet<String>> components = new ArrayList<>();

        void visit(String node) {
            index.put(node, index.size());
            low.put(node, index.get(node));
            stack.push(node);
            onStack.add(node);
            for (String next : uses(node).keySet()) {
                if (!index.containsKey(next)) {
                    visit(next);
                    low.put(node, Math.min(low.get(node), low.get(next)));
                } else if (onStack.contains(next)) {
                    low.put(node, Math.min(low.get(node), index.get(next)));
                }
            }
            if (low.get(node).equals(index.get(node))) {
                SortedSet<String> component = new TreeSet<>();
                String member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    component.add(member);
                } while (!member.equals(node));
                components.add(component);
            }
        }
    }

    /** The source with comments, string and text-block literals and character literals blanked out. */
    static String withoutCommentsAndStrings(String source) {
        StringBuilder code = new StringBuilder(source.length());
        int i = 0;
        int length = source.length();
        while (i < length) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? length : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? length : end + 2;
                code.append(' ');
            } else if (source.startsWith("\"\"\"", i)) {
                int end = i + 3;
                while (end < length && !source.startsWith("\"\"\"", end)) {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                i = Math.min(length, end + 3);
                code.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < length && source.charAt(end) != c && source.charAt(end) != '\n') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                i = Math.min(length, end + 1);
                code.append(c).append(c);
            } else {
                code.append(c);
                i++;
            }
        }
        return code.toString();
    }
}
