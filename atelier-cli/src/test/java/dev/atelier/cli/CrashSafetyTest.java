package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Nothing acknowledged is lost": a server killed with kill -9 while writes stream in keeps, after a
 * restart on the same data directory, every write it answered 200 for.
 */
class CrashSafetyTest {
    private static final int POINTS_PER_BATCH = 10;
    private static final int ACKNOWLEDGED_BEFORE_KILL = 300;

    @TempDir
    Path dataDir;

    @TempDir
    Path logs;

    @Test
    void everyAcknowledgedMetricSurvivesKillNine() throws Exception {
        String runId;
        Map<Long, Double> acknowledged = new ConcurrentHashMap<>();
        Thread writer;
        AtomicBoolean stop = new AtomicBoolean();
        try (ServerProcess first = ServerProcess.start(dataDir, logs.resolve("first.log"));
             MlflowRest mlflow = new MlflowRest(first.url())) {
            String experimentId = mlflow.postOk("/api/2.0/mlflow/experiments/create", "{\"name\": \"crash\"}")
                    .path("experiment_id").asText();
            runId = mlflow.createRun(experimentId, "streaming");

            writer = Thread.ofPlatform().name("log-batch-writer").start(() -> streamMetrics(mlflow, runId, acknowledged, stop));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acknowledged.size() < ACKNOWLEDGED_BEFORE_KILL && writer.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(acknowledged).as("points acknowledged before the kill").hasSizeGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);

            first.kill();
            stop.set(true);
            writer.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(writer.isAlive()).as("writer still blocked after the kill").isFalse();
        }

        try (ServerProcess second = ServerProcess.start(dataDir, logs.resolve("second.log"));
             MlflowRest mlflow = new MlflowRest(second.url())) {
            JsonNode history = mlflow.getOk("/api/2.0/mlflow/metrics/get-history?run_id=" + runId
                    + "&metric_key=loss&max_results=100000");
            Map<Long, Double> stored = new HashMap<>();
            history.path("metrics").forEach(point -> stored.put(point.path("step").asLong(), point.path("value").asDouble()));

            assertThat(stored).containsAllEntriesOf(acknowledged);
        }
    }

    @Test
    void everyAcknowledgedWorkspaceSurvivesKillNine() throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        try (ServerProcess first = ServerProcess.start(dataDir, logs.resolve("first.log"));
             MlflowRest rest = new MlflowRest(first.url())) {
            Thread writer = Thread.ofPlatform().name("workspace-writer").start(() -> {
                for (int i = 0; !stop.get(); i++) {
                    String name = "crash-" + i;
                    try {
                        if (rest.post("/api/v1/workspaces", "{\"name\": \"" + name + "\"}").status() / 100 == 2) {
                            acknowledged.add(name);
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acknowledged.size() < 50 && writer.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(acknowledged).as("workspaces acknowledged before the kill").hasSizeGreaterThanOrEqualTo(50);

            first.kill();
            stop.set(true);
            writer.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(writer.isAlive()).as("writer still blocked after the kill").isFalse();
        }

        try (ServerProcess second = ServerProcess.start(dataDir, logs.resolve("second.log"));
             MlflowRest rest = new MlflowRest(second.url())) {
            JsonNode workspaces = rest.getOk("/api/v1/workspaces").path("workspaces");
            Set<String> stored = new HashSet<>(workspaces.findValuesAsText("name"));

            assertThat(stored).containsAll(acknowledged);
        }
    }

    /** Sends batches of loss points until stopped or the server is gone; records the ones answered 200. */
    private static void streamMetrics(MlflowRest mlflow, String runId, Map<Long, Double> acknowledged, AtomicBoolean stop) {
        long step = 0;
        while (!stop.get()) {
            Map<Long, Double> batch = new HashMap<>();
            ObjectNode body = MlflowRest.JSON.createObjectNode().put("run_id", runId);
            ArrayNode metrics = body.putArray("metrics");
            for (int i = 0; i < POINTS_PER_BATCH; i++, step++) {
                double value = 1.0 / (step + 1);
                batch.put(step, value);
                metrics.addObject().put("key", "loss").put("value", value).put("timestamp", System.currentTimeMillis()).put("step", step);
            }
            try {
                if (mlflow.post("/api/2.0/mlflow/runs/log-batch", body.toString()).status() == 200) {
                    acknowledged.putAll(batch);
                }
            } catch (IOException e) {
                return;
            }
        }
    }
}
