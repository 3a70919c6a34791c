package dev.atelier.workers.builtins;

import dev.atelier.workers.table.TableException;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A component's command-line options, {@code --name value} pairs as its component's command writes them (each value one
 * shell word). Reading an option marks it known; {@link #checkAllRead} refuses options the component does not take, so a
 * misspelt one is not silently ignored. Errors are {@link TableException}s naming the option. Not thread-safe.
 */
public final class Arguments {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> read = new HashSet<>();

    public Arguments(List<String> arguments) {
        for (int i = 0; i < arguments.size(); i++) {
            String name = arguments.get(i);
            if (!name.startsWith("--") || name.length() == 2) {
                throw new TableException("unexpected argument '" + name + "': options are written --name value");
            }
            if (i + 1 >= arguments.size()) {
                throw new TableException("option '" + name + "' has no value");
            }
            if (values.put(name.substring(2), arguments.get(++i)) != null) {
                throw new TableException("option '" + name + "' is given twice");
            }
        }
    }

    public Optional<String> optional(String name) {
        read.add(name);
        return Optional.ofNullable(values.get(name));
    }

    public String text(String name) {
        return optional(name).orElseThrow(() -> new TableException("option '--" + name + "' is required"));
    }

    public String text(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    public Path path(String name) {
        return Path.of(text(name));
    }

    public Optional<Path> optionalPath(String name) {
        return optional(name).map(Path::of);
    }

    /** One of {@code allowed}; {@code defaultValue} when absent. */
    public String choice(String name, String defaultValue, String... allowed) {
        String value = text(name, defaultValue);
        if (!List.of(allowed).contains(value)) {
            throw new TableException("option '--" + name + "' is '" + value + "'; expected one of " + String.join(", ", allowed));
        }
        return value;
    }

    public double number(String name, double defaultValue, double min, double max) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(value.get());
        } catch (NumberFormatException e) {
            throw new TableException("option '--" + name + "' is '" + value.get() + "', not a number");
        }
        if (!(parsed >= min && parsed <= max)) {
            throw new TableException("option '--" + name + "' is " + value.get() + "; expected a number from " + min + " to " + max);
        }
        return parsed;
    }

    public long integer(String name, long defaultValue, long min, long max) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.get().strip());
        } catch (NumberFormatException e) {
            throw new TableException("option '--" + name + "' is '" + value.get() + "', not an integer");
        }
        if (parsed < min || parsed > max) {
            throw new TableException("option '--" + name + "' is " + parsed + "; expected an integer from " + min + " to " + max);
        }
        return parsed;
    }

    public boolean bool(String name, boolean defaultValue) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        if (!value.get().equalsIgnoreCase("true") && !value.get().equalsIgnoreCase("false")) {
            throw new TableException("option '--" + name + "' is '" + value.get() + "'; expected true or false");
        }
        return Boolean.parseBoolean(value.get());
    }

    /** Refuses the options no reader asked for. */
    public void checkAllRead() {
        Set<String> unknown = new HashSet<>(values.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new TableException("unknown options: --" + String.join(", --", unknown.stream().sorted().toList()));
        }
    }
}
