package dev.atelier.server.web.tracking;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Reads the text of a runs table's filter box as MLflow's UI does before it becomes a search filter: a bare word
 * (no comparison operator) searches run names, {@code attributes.run_name LIKE '%word%'}; a comparison of a key
 * without its kind ({@code accuracy > 0.9}) is not guessed silently but answered with the qualified filter to use
 * instead ({@code metrics.accuracy > 0.9}), the kind taken from the keys the runs have. Stateless, thread-safe.
 */
public final class FilterHelp {
    private static final Pattern OPERATOR = Pattern.compile("(?i)[=<>!]|\\b(i?like|in|is)\\b");
    private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"|`[^`]*`");
    /** An identifier without a kind, followed by an operator: the identifier must not follow a dot or a quote. */
    private static final Pattern UNQUALIFIED = Pattern.compile(
            "(?i)(?<![\\w.`\"'])([a-z_][\\w-]*)\\s*(<=|>=|!=|=|<|>|\\blike\\b|\\bilike\\b|\\bin\\b)\\s*(\\S*)");
    private static final Set<String> ATTRIBUTES = Set.of("artifact_uri", "end_time", "run_id", "run_name", "start_time",
            "status", "user_id", "created", "and");

    private FilterHelp() {
    }

    /**
     * How the box's text was read.
     *
     * @param filter what is searched
     * @param note why it is not the text as typed, shown above the table
     * @param suggestion a filter to use instead, offered as a link (the text as typed is still what was searched)
     */
    public record Reading(String filter, Optional<String> note, Optional<String> suggestion) {
        public Reading {
            requireNonNull(filter, "filter is null");
            requireNonNull(note, "note is null");
            requireNonNull(suggestion, "suggestion is null");
        }

        static Reading asTyped(String filter) {
            return new Reading(filter, Optional.empty(), Optional.empty());
        }
    }

    /** A bare word as a run-name search; anything else as typed. */
    static Reading read(String typed) {
        String text = typed.strip();
        if (text.isEmpty() || OPERATOR.matcher(text).find()) {
            return Reading.asTyped(text);
        }
        String quoted = text.contains("'") ? "\"" + text.replace("\"", "") + "\"" : "'" + text + "'";
        String filter = "attributes.run_name LIKE " + quoted.charAt(0) + "%" + quoted.substring(1, quoted.length() - 1) + "%"
                + quoted.charAt(0);
        return new Reading(filter, Optional.of("Run names containing “" + text + "”: " + filter), Optional.empty());
    }

    /** Whether {@code filter} compares a key given without its kind (which the search would refuse). */
    static boolean hasUnqualifiedKey(String filter) {
        Matcher matcher = UNQUALIFIED.matcher(mask(filter));
        while (matcher.find()) {
            if (!ATTRIBUTES.contains(matcher.group(1).toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The filter with each key given without its kind qualified: as a metric, param or tag when the runs have it so
     * ({@code kinds} maps a key to {@code metrics}, {@code params} or {@code tags}), else as a metric when compared
     * with a number and as a param otherwise. Empty when nothing needed it.
     */
    static Optional<String> qualified(String filter, Map<String, String> kinds) {
        Matcher matcher = UNQUALIFIED.matcher(mask(filter));
        StringBuilder out = new StringBuilder();
        int last = 0;
        boolean changed = false;
        while (matcher.find()) {
            String key = matcher.group(1);
            if (ATTRIBUTES.contains(key.toLowerCase(Locale.ROOT))) {
                continue;
            }
            String kind = kinds.getOrDefault(key, matcher.group(3).matches("-?[0-9.]+([eE][-+]?[0-9]+)?") ? "metrics" : "params");
            out.append(filter, last, matcher.start(1)).append(kind).append('.');
            last = matcher.start(1);
            changed = true;
        }
        if (!changed) {
            return Optional.empty();
        }
        return Optional.of(out.append(filter.substring(last)).toString());
    }

    /** The filter with its quoted strings blanked out (same length), so that only identifiers and operators match. */
    private static String mask(String filter) {
        Matcher quoted = QUOTED.matcher(filter);
        StringBuilder masked = new StringBuilder();
        while (quoted.find()) {
            quoted.appendReplacement(masked, "'" + "x".repeat(quoted.group().length() - 2) + "'");
        }
        quoted.appendTail(masked);
        return masked.toString();
    }
}
