package dev.atelier.server.data;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.http.Json;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * What the profiler learns about one column while reading a table: missing cells, a distinct
 * estimate, whether every value is an integer or a number, running min/max/mean/variance
 * (Welford's method), counts of the most frequent strings and, in a second pass, a histogram of
 * numbers. Memory stays bounded: at most {@value #MAX_COUNTED} strings are counted exactly, later
 * new strings are not (top values are then approximate). Not thread-safe.
 */
final class ColumnStatistics {
    static final int MAX_COUNTED = 10_000;
    static final int TOP_VALUES = 10;
    static final int HISTOGRAM_BINS = 10;

    private final String name;
    private final DistinctSketch distinct = new DistinctSketch();
    private final Map<String, Long> counts = new HashMap<>();
    private long present;
    private long missing;
    private boolean allIntegers = true;
    private boolean allNumbers = true;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double mean;
    private double squares;
    private long[] histogram;

    ColumnStatistics(String name) {
        this.name = name;
    }

    /** Adds one cell; an empty or absent cell is missing. */
    void add(String value) {
        if (value == null || value.isBlank()) {
            missing++;
            return;
        }
        present++;
        distinct.add(value);
        if (counts.containsKey(value) || counts.size() < MAX_COUNTED) {
            counts.merge(value, 1L, Long::sum);
        }
        if (allNumbers) {
            addNumber(value.trim());
        }
    }

    private void addNumber(String value) {
        double number;
        try {
            number = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            allNumbers = false;
            allIntegers = false;
            return;
        }
        if (Double.isNaN(number) || Double.isInfinite(number)) {
            allNumbers = false;
            allIntegers = false;
            return;
        }
        if (allIntegers && !integer(value)) {
            allIntegers = false;
        }
        min = Math.min(min, number);
        max = Math.max(max, number);
        double delta = number - mean;
        mean += delta / present;
        squares += delta * (number - mean);
    }

    /** Whether {@code value} is an optional sign and one or more ASCII digits. */
    private static boolean integer(String value) {
        int start = value.startsWith("+") || value.startsWith("-") ? 1 : 0;
        if (start == value.length()) {
            return false;
        }
        for (int i = start; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    boolean numeric() {
        return allNumbers && present > 0;
    }

    /** Second pass: counts a number into one of {@value #HISTOGRAM_BINS} equal bins between min and max. */
    void addToHistogram(String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        if (histogram == null) {
            histogram = new long[HISTOGRAM_BINS];
        }
        double number = Double.parseDouble(value.trim());
        int bin = max == min ? 0 : (int) Math.min(HISTOGRAM_BINS - 1, Math.floor((number - min) / (max - min) * HISTOGRAM_BINS));
        histogram[bin]++;
    }

    ObjectNode toJson() {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("name", name);
        node.put("type", present == 0 ? "empty" : allIntegers && allNumbers ? "integer" : allNumbers ? "number" : "string");
        node.put("missing", missing);
        node.put("distinct_estimate", distinct.estimate());
        if (numeric()) {
            node.put("min", min);
            node.put("max", max);
            node.put("mean", mean);
            node.put("std", present > 1 ? Math.sqrt(squares / (present - 1)) : 0.0);
            ArrayNode edges = node.putObject("histogram").putArray("edges");
            for (int i = 0; i <= HISTOGRAM_BINS; i++) {
                edges.add(min + (max - min) * i / HISTOGRAM_BINS);
            }
            ArrayNode binCounts = ((ObjectNode) node.get("histogram")).putArray("counts");
            for (int i = 0; i < HISTOGRAM_BINS; i++) {
                binCounts.add(histogram == null ? 0 : histogram[i]);
            }
        } else if (present > 0) {
            ArrayNode top = node.putArray("top_values");
            counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder())))
                    .limit(TOP_VALUES)
                    .forEach(entry -> top.addObject().put("value", entry.getKey()).put("count", entry.getValue()));
        }
        return node;
    }
}
