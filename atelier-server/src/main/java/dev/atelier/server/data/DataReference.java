package dev.atelier.server.data;

import dev.atelier.api.AtelierException;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A reference to a data asset version: {@code data:<name>:<version>} or {@code data:<name>@latest}
 * (the {@code data:} prefix is optional where only data assets can be meant, as in the CLI's
 * {@code <name>@latest}). Parsed here and nowhere else.
 *
 * @param version empty for {@code @latest}
 */
public record DataReference(String name, Optional<Integer> version) {
    public static final String PREFIX = "data:";
    private static final Pattern FORM = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]{0,254})(?::([0-9]{1,9})|@latest)");

    public DataReference {
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
    }

    /** Whether {@code value} is meant as a data reference (starts with {@code data:}). */
    public static boolean isReference(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /** Parses a reference; {@code INVALID_PARAMETER_VALUE} naming the expected forms otherwise. */
    public static DataReference parse(String value) {
        requireNonNull(value, "value is null");
        String body = value.startsWith(PREFIX) ? value.substring(PREFIX.length()) : value;
        Matcher matcher = FORM.matcher(body);
        if (!matcher.matches()) {
            throw AtelierException.invalidParameter("Invalid data reference '" + value + "': expected data:<name>:<version> "
                    + "or data:<name>@latest");
        }
        return new DataReference(matcher.group(1), Optional.ofNullable(matcher.group(2)).map(Integer::parseInt));
    }

    @Override
    public String toString() {
        return PREFIX + name + version.map(v -> ":" + v).orElse("@latest");
    }
}
