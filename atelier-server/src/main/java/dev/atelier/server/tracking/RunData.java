package dev.atelier.server.tracking;

import java.util.List;

/** The latest metrics, the params and the tags of a run. Empty lists are left out of the JSON. */
public record RunData(List<Metric> metrics, List<KeyValue> params, List<KeyValue> tags) {
    public RunData {
        metrics = List.copyOf(metrics);
        params = List.copyOf(params);
        tags = List.copyOf(tags);
    }
}
