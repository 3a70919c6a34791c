package dev.atelier.server.components;

import dev.atelier.api.AtelierException;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of a component's command and literal inputs. A command names its inputs and outputs as
 * {@code ${{inputs.x}}} and {@code ${{outputs.y}}}; a part written {@code $[[ … ]]} (not nested) is kept only when
 * every input it names has a value, which is how Azure ML writes optional inputs: an optional input without a default
 * may appear only inside such a part. Stateless.
 */
final class ComponentRules {
    private static final Pattern BINDING = Pattern.compile("\\$\\{\\{(.*?)}}");
    private static final Pattern REFERENCE = Pattern.compile("\\s*(inputs|outputs)\\.([A-Za-z_][A-Za-z0-9_]*)\\s*");
    private static final Pattern INPUT = Pattern.compile("\\$\\{\\{\\s*inputs\\.([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
    private static final Pattern OPTIONAL_PART = Pattern.compile("\\$\\[\\[(.*?)]]", Pattern.DOTALL);

    private ComponentRules() {
    }

    /** Checks a literal value for an input: its type parses, it lies within min/max, it is one of the enum. */
    static void checkLiteral(ComponentInput input, String field, String value) {
        switch (input.type()) {
            case INTEGER -> {
                long parsed;
                try {
                    parsed = Long.parseLong(value.trim());
                } catch (NumberFormatException e) {
                    throw AtelierException.invalidParameter("Invalid value '" + value + "' for '" + field + "': expected an integer");
                }
                checkBounds(input, field, value, parsed);
            }
            case NUMBER -> {
                double parsed;
                try {
                    parsed = Double.parseDouble(value.trim());
                } catch (NumberFormatException e) {
                    throw AtelierException.invalidParameter("Invalid value '" + value + "' for '" + field + "': expected a number");
                }
                if (!Double.isFinite(parsed)) {
                    throw AtelierException.invalidParameter("Invalid value '" + value + "' for '" + field + "': expected a finite number");
                }
                checkBounds(input, field, value, parsed);
            }
            case BOOLEAN -> {
                if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                    throw AtelierException.invalidParameter("Invalid value '" + value + "' for '" + field + "': expected true or false");
                }
            }
            case STRING -> {
                if (!input.enumValues().isEmpty() && !input.enumValues().contains(value)) {
                    throw AtelierException.invalidParameter("Invalid value '" + value + "' for '" + field + "': expected one of "
                            + input.enumValues());
                }
            }
            case URI_FILE, URI_FOLDER, MLTABLE, MLFLOW_MODEL -> {
                // Data is bound to a path or an upstream output, which the pipeline checks; there is no literal to check.
            }
        }
    }

    private static void checkBounds(ComponentInput input, String field, String value, double parsed) {
        if (input.min().isPresent() && parsed < input.min().get() || input.max().isPresent() && parsed > input.max().get()) {
            String range = input.min().map(min -> "at least " + ComponentDocument.format(min)).orElse("")
                    + (input.min().isPresent() && input.max().isPresent() ? " and " : "")
                    + input.max().map(max -> "at most " + ComponentDocument.format(max)).orElse("");
            throw AtelierException.invalidParameter("Invalid value '" + value + "' for '" + field + "': expected a value " + range);
        }
    }

    /** Checks a command's references against the declared inputs and outputs, and where optional inputs appear. */
    static void checkCommand(String field, String command, Map<String, ComponentInput> inputs, Map<String, ComponentOutput> outputs) {
        Matcher bindings = BINDING.matcher(command);
        while (bindings.find()) {
            Matcher reference = REFERENCE.matcher(bindings.group(1));
            if (!reference.matches()) {
                throw AtelierException.invalidParameter("Invalid binding '" + bindings.group() + "' in '" + field
                        + "': expected ${{inputs.<name>}} or ${{outputs.<name>}}");
            }
            boolean declared = reference.group(1).equals("inputs") ? inputs.containsKey(reference.group(2))
                    : outputs.containsKey(reference.group(2));
            if (!declared) {
                throw AtelierException.invalidParameter("Unbound reference '" + bindings.group() + "' in '" + field
                        + "': the component declares no " + reference.group(1) + " named '" + reference.group(2) + "'");
            }
        }
        String outside = OPTIONAL_PART.matcher(command).replaceAll(" ");
        boolean nested = OPTIONAL_PART.matcher(command).results().anyMatch(part -> part.group(1).contains("$[["));
        if (outside.contains("$[[") || nested) {
            throw AtelierException.invalidParameter("Invalid '" + field + "': every '$[[' needs its ']]', and optional parts cannot be nested");
        }
        Matcher used = INPUT.matcher(outside);
        while (used.find()) {
            ComponentInput input = inputs.get(used.group(1));
            if (input.optional() && input.defaultValue().isEmpty()) {
                throw AtelierException.invalidParameter("Invalid '" + field + "': the optional input '" + used.group(1) + "' must be "
                        + "written inside $[[ … ]] (the part is left out when no value is given)");
            }
        }
    }

    /** The command with each optional part kept (without its brackets) when every input it names has a value, else dropped. */
    static String commandFor(ComponentSpec spec, Set<String> provided) {
        Set<String> available = new HashSet<>(provided);
        spec.inputs().forEach((name, input) -> {
            if (input.defaultValue().isPresent()) {
                available.add(name);
            }
        });
        Matcher parts = OPTIONAL_PART.matcher(spec.command());
        StringBuilder command = new StringBuilder();
        while (parts.find()) {
            Matcher names = INPUT.matcher(parts.group(1));
            boolean keep = true;
            while (names.find()) {
                keep &= available.contains(names.group(1));
            }
            parts.appendReplacement(command, Matcher.quoteReplacement(keep ? parts.group(1) : ""));
        }
        parts.appendTail(command);
        return command.toString();
    }
}
