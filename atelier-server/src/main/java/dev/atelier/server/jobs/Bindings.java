package dev.atelier.server.jobs;

import dev.atelier.api.AtelierException;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${{inputs.x}}}, {@code ${{outputs.x}}} and {@code ${{search_space.x}}} references in a
 * command, as Azure ML CLI v2 writes them. Every reference must name something the job declares;
 * anything else inside {@code ${{ }}} is refused.
 */
final class Bindings {
    private static final Pattern ANY = Pattern.compile("\\$\\{\\{(.*?)}}");
    private static final Pattern REFERENCE = Pattern.compile("\\s*(inputs|outputs|search_space)\\.([A-Za-z_][A-Za-z0-9_]*)\\s*");

    private Bindings() {
    }

    /** Checks every reference of {@code command} against the declared names; {@code field} names the command in errors. */
    static void check(String field, String command, Set<String> inputs, Set<String> outputs, Set<String> searchSpace) {
        Matcher any = ANY.matcher(command);
        while (any.find()) {
            Matcher reference = REFERENCE.matcher(any.group(1));
            if (!reference.matches()) {
                throw AtelierException.invalidParameter("Invalid binding '" + any.group() + "' in '" + field
                        + "': expected ${{inputs.<name>}}, ${{outputs.<name>}} or ${{search_space.<name>}}");
            }
            Set<String> declared = switch (reference.group(1)) {
                case "inputs" -> inputs;
                case "outputs" -> outputs;
                default -> searchSpace;
            };
            if (!declared.contains(reference.group(2))) {
                String where = reference.group(1).equals("search_space") && searchSpace.isEmpty()
                        ? " (only a sweep's trial has a search space)" : "";
                throw AtelierException.invalidParameter("Unbound reference '" + any.group() + "' in '" + field + "': the job declares no "
                        + reference.group(1) + " named '" + reference.group(2) + "'" + where);
            }
        }
    }

    /** Replaces every reference of one kind by its value; references of other kinds stay. */
    static String bind(String command, String kind, Map<String, String> values) {
        Matcher any = ANY.matcher(command);
        StringBuilder bound = new StringBuilder();
        while (any.find()) {
            Matcher reference = REFERENCE.matcher(any.group(1));
            String replacement = any.group();
            if (reference.matches() && reference.group(1).equals(kind) && values.containsKey(reference.group(2))) {
                replacement = values.get(reference.group(2));
            }
            any.appendReplacement(bound, Matcher.quoteReplacement(replacement));
        }
        any.appendTail(bound);
        return bound.toString();
    }
}
