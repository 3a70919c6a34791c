package dev.atelier.server.web;

import dev.atelier.server.testing.HttpJson;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Logs experiments, runs, metrics and artifacts over the MLflow REST API, for portal tests. */
final class PortalData {
    private final HttpJson http;
    private final String prefix;

    /** Data of {@code workspace} ({@code default} at the root, others under /w/{workspace}). */
    PortalData(HttpJson http, String workspace) {
        this.http = http;
        this.prefix = workspace.equals("default") ? "" : "/w/" + workspace;
    }

    String experiment(String name) {
        HttpJson.Response created = ok(http.post(prefix + "/api/2.0/mlflow/experiments/create", Map.of("name", name)));
        return created.json().get("experiment_id").asText();
    }

    String run(String experimentId, String name, Map<String, String> params, Map<String, String> tags) {
        HttpJson.Response created = ok(http.post(prefix + "/api/2.0/mlflow/runs/create",
                Map.of("experiment_id", experimentId, "run_name", name, "start_time", System.currentTimeMillis())));
        String runId = created.json().get("run").get("info").get("run_id").asText();
        List<Map<String, String>> paramList = new ArrayList<>();
        params.forEach((key, value) -> paramList.add(Map.of("key", key, "value", value)));
        List<Map<String, String>> tagList = new ArrayList<>();
        tags.forEach((key, value) -> tagList.add(Map.of("key", key, "value", value)));
        ok(http.post(prefix + "/api/2.0/mlflow/runs/log-batch", Map.of("run_id", runId, "params", paramList, "tags", tagList)));
        return runId;
    }

    /** Logs {@code count} points of {@code key} at steps 0..count-1 with the values {@code offset + step / count}. */
    void metric(String runId, String key, int count, double offset) {
        for (int start = 0; start < count; start += 1000) {
            List<Map<String, Object>> metrics = new ArrayList<>();
            for (int step = start; step < Math.min(count, start + 1000); step++) {
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("key", key);
                point.put("value", offset + (double) step / count);
                point.put("timestamp", 1_700_000_000_000L + step * 1000L);
                point.put("step", step);
                metrics.add(point);
            }
            ok(http.post(prefix + "/api/2.0/mlflow/runs/log-batch", Map.of("run_id", runId, "metrics", metrics)));
        }
    }

    void finish(String runId) {
        ok(http.post(prefix + "/api/2.0/mlflow/runs/update", Map.of("run_id", runId, "status", "FINISHED",
                "end_time", System.currentTimeMillis())));
    }

    void artifact(String experimentId, String runId, String path, String content) {
        HttpJson.Response put = http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + prefix
                        + "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/" + path))
                .PUT(HttpRequest.BodyPublishers.ofString(content)).header("Content-Type", "application/octet-stream").build());
        assertThat(put.status()).as(put.text()).isEqualTo(200);
    }

    private static HttpJson.Response ok(HttpJson.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response;
    }
}
