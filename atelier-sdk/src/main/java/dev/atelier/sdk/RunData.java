package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What a run logged ({@code run.data}): the latest value of each metric, params and tags, in the
 * order the server sent them.
 */
public record RunData(List<Metric> metrics, Map<String, String> params, Map<String, String> tags) {
    public RunData {
        metrics = List.copyOf(requireNonNull(metrics, "metrics is null"));
        params = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(params, "params is null")));
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(tags, "tags is null")));
    }

    static RunData fromJson(JsonNode node) {
        JsonNode data = node == null ? JsonNodeFactory.instance.objectNode() : node;
        List<Metric> metrics = new ArrayList<>();
        JsonNode list = data.get("metrics");
        if (list != null && list.isArray()) {
            list.forEach(metric -> metrics.add(Metric.fromJson(metric)));
        }
        return new RunData(metrics, JsonFields.keyValues(data, "params"), JsonFields.keyValues(data, "tags"));
    }
}
