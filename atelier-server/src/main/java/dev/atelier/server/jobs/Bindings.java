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
 *
 * <p>Values are substituted shell-quoted, because the command runs with {@code sh -c} and values
 * come from others: a data asset's file name, a literal input, a sampled search-space value. A value
 * made only of letters, digits and {@code @%+=:,./_-} is inserted as is (so {@code --lr ${{inputs.lr}}}
 * stays {@code --lr 0.1}); any other is wrapped in POSIX single quotes, {@code '} written as
 * {@code '\''} (what Python's {@code shlex.quote} does). A reference inside the command's own quotes
 * closes them around the quoted value ({@code "--data=${{inputs.d}}"} becomes {@code "--data="'a b'""}),
 * so the shell still sees one word holding exactly the value. Stateless.
 */
final class Bindings {
    private static final Pattern ANY = Pattern.compile("\\$\\{\\{(.*?)}}");
    /** Characters that need no quoting in any shell word (Python's {@code shlex.quote} leaves them bare). */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9@%+=:,./_-]+");
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

    /** Replaces every reference of one kind by its shell-quoted value; references of other kinds stay. */
    static String bind(String command, String kind, Map<String, String> values) {
        Matcher any = ANY.matcher(command);
        StringBuilder bound = new StringBuilder();
        int scanned = 0;
        Quoting quoting = Quoting.NONE;
        while (any.find()) {
            quoting = quoting.after(command, scanned, any.start());
            scanned = any.end();
            Matcher reference = REFERENCE.matcher(any.group(1));
            String replacement = any.group();
            if (reference.matches() && reference.group(1).equals(kind) && values.containsKey(reference.group(2))) {
                replacement = quoting.insert(values.get(reference.group(2)));
            }
            any.appendReplacement(bound, Matcher.quoteReplacement(replacement));
        }
        any.appendTail(bound);
        return bound.toString();
    }

    /** {@code value} as one shell word that the shell reads back as exactly {@code value}. */
    static String quote(String value) {
        if (!value.isEmpty() && SAFE.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** Where a position of a command stands: outside quotes, inside {@code '...'} or inside {@code "..."}. */
    private enum Quoting {
        NONE, SINGLE, DOUBLE;

        /** The state after reading {@code command} from {@code from} (in this state) to {@code to}. */
        Quoting after(String command, int from, int to) {
            Quoting state = this;
            for (int i = from; i < to; i++) {
                char c = command.charAt(i);
                switch (state) {
                    case NONE -> {
                        if (c == '\\') {
                            i++;
                        } else if (c == '\'') {
                            state = SINGLE;
                        } else if (c == '"') {
                            state = DOUBLE;
                        }
                    }
                    case SINGLE -> {
                        if (c == '\'') {
                            state = NONE;
                        }
                    }
                    case DOUBLE -> {
                        if (c == '\\') {
                            i++;
                        } else if (c == '"') {
                            state = NONE;
                        }
                    }
                }
            }
            return state;
        }

        /** The text that puts {@code value} at a position in this state: the quotes around it are closed and reopened. */
        String insert(String value) {
            String quoted = quote(value);
            if (quoted.equals(value)) {
                return value;
            }
            return switch (this) {
                case NONE -> quoted;
                case SINGLE -> "'" + quoted + "'";
                case DOUBLE -> "\"" + quoted + "\"";
            };
        }
    }
}
