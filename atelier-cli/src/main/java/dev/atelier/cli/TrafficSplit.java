package dev.atelier.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Percentages per deployment as people type them: {@code blue=90,green=10}. Only the form is checked here
 * (names, whole numbers 0..100, no name twice); whether they sum to 100 and name existing deployments is the
 * server's rule.
 */
record TrafficSplit(Map<String, Integer> weights) {
    private static final Pattern ENTRY = Pattern.compile("\\s*([A-Za-z0-9][A-Za-z0-9_-]*)\\s*=\\s*(\\d{1,3})\\s*");

    TrafficSplit {
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(weights, "weights is null")));
    }

    /** {@link TypeConversionException} (a usage error) naming the entry that is not {@code name=percent}. */
    static TrafficSplit parse(String text) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        if (text.isBlank()) {
            throw new TypeConversionException("expected deployment=percent pairs such as blue=90,green=10, got nothing");
        }
        for (String entry : text.split(",", -1)) {
            Matcher matcher = ENTRY.matcher(entry);
            if (!matcher.matches()) {
                throw new TypeConversionException("expected deployment=percent pairs such as blue=90,green=10, got '" + entry.strip() + "'");
            }
            int percent = Integer.parseInt(matcher.group(2));
            if (percent > 100) {
                throw new TypeConversionException("'" + entry.strip() + "': a percentage is at most 100");
            }
            if (weights.put(matcher.group(1), percent) != null) {
                throw new TypeConversionException("deployment '" + matcher.group(1) + "' is named twice");
            }
        }
        return new TrafficSplit(weights);
    }

    /** As people type it, such as {@code blue=90, green=10}; {@code -} when empty. */
    static String describe(Map<String, Integer> weights) {
        if (weights.isEmpty()) {
            return "-";
        }
        StringBuilder text = new StringBuilder();
        weights.forEach((name, percent) -> text.append(text.isEmpty() ? "" : ", ").append(name).append('=').append(percent));
        return text.toString();
    }

    /** The picocli converter. */
    static final class Converter implements ITypeConverter<TrafficSplit> {
        @Override
        public TrafficSplit convert(String value) {
            return parse(value);
        }
    }
}
