package dev.atelier.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The subset of gitignore syntax Azure ML applies to {@code .amlignore} and {@code .gitignore}:
 * one pattern per line, {@code #} comments, {@code !} re-includes, a trailing {@code /} matches
 * folders only, a leading or inner {@code /} anchors the pattern at the folder's root, {@code *}
 * and {@code ?} stay within one path segment, {@code **} crosses segments. The last matching
 * pattern wins. Immutable.
 */
final class IgnoreRules {
    private record Rule(Pattern pattern, boolean negated, boolean foldersOnly) {
    }

    private final List<Rule> rules;

    private IgnoreRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    static IgnoreRules parse(List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean negated = line.startsWith("!");
            if (negated) {
                line = line.substring(1);
            }
            boolean foldersOnly = line.endsWith("/");
            line = line.replaceAll("/+$", "");
            boolean anchored = line.contains("/");
            line = line.replaceAll("^/+", "");
            if (!line.isEmpty()) {
                rules.add(new Rule(Pattern.compile((anchored ? "" : "(?:.*/)?") + glob(line)), negated, foldersOnly));
            }
        }
        return new IgnoreRules(rules);
    }

    /** Whether {@code path} ('/'-separated, relative to the code folder) is ignored. */
    boolean ignored(String path, boolean folder) {
        boolean ignored = false;
        for (Rule rule : rules) {
            if ((!rule.foldersOnly() || folder) && rule.pattern().matcher(path).matches()) {
                ignored = !rule.negated();
            }
        }
        return ignored;
    }

    private static String glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                boolean slash = i + 2 < pattern.length() && pattern.charAt(i + 2) == '/';
                regex.append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }
}
