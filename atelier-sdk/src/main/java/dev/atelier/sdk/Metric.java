package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import static java.util.Objects.requireNonNull;

/** One value of a metric series: key, value, timestamp in epoch milliseconds, and step. */
public record Metric(String key, double value, long timestamp, long step) {
    public Metric {
        requireNonNull(key, "key is null");
    }

    static Metric fromJson(JsonNode node) {
        return new Metric(JsonFields.text(node, "key"), JsonFields.doubleValue(node, "value"),
                JsonFields.longValue(node, "timestamp"), JsonFields.longValue(node, "step"));
    }
}
