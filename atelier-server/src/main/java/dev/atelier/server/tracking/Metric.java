package dev.atelier.server.tracking;

import static java.util.Objects.requireNonNull;

/**
 * One metric point. {@code value} may be NaN or infinite; JSON writes those as the strings
 * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"} as MLflow does.
 */
public record Metric(String key, double value, long timestamp, long step) {
    public Metric {
        requireNonNull(key, "key is null");
    }

    /** MLflow's order for "the latest value": the greatest (step, timestamp, value). */
    public boolean isLaterThan(Metric other) {
        if (step != other.step) {
            return step > other.step;
        }
        if (timestamp != other.timestamp) {
            return timestamp > other.timestamp;
        }
        return Double.compare(value, other.value) > 0;
    }
}
