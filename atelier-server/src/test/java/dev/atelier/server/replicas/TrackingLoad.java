package dev.atelier.server.replicas;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * MLflow-protocol clients against a URL: each thread creates an experiment, then loops creating a run, logging a
 * batch of metrics to it and searching the experiment's runs. It remembers every write the server acknowledged
 * (200), so a test can look each one up afterwards, and every other answer with its status, {@code Retry-After} and
 * body. Latencies are kept per operation for the benchmark. Thread-safe.
 */
public final class TrackingLoad implements AutoCloseable {
    /** One answer that was not a success. */
    public record Failure(String operation, int status, String retryAfter, String body) {
    }

    private static final String MLFLOW = "/api/2.0/mlflow/";

    private final String url;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    /** Run id → metric steps whose log-batch was acknowledged. */
    private final Map<String, Set<Long>> acknowledged = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final Map<String, ConcurrentLinkedQueue<Long>> latencies = new ConcurrentHashMap<>();
    private final AtomicLong successes = new AtomicLong();
    private final ConcurrentLinkedQueue<Long> failureTimes = new ConcurrentLinkedQueue<>();

    public TrackingLoad(String url) {
        this.url = url;
    }

    /** Starts {@code clients} client threads, each logging {@code stepsPerRun} batches to each run it creates. */
    public TrackingLoad start(int clients, int stepsPerRun) {
        for (int i = 0; i < clients; i++) {
            String name = "load-" + i + "-" + System.nanoTime();
            threads.add(Thread.ofVirtual().name("tracking-load-" + i).start(() -> drive(name, stepsPerRun)));
        }
        return this;
    }

    private void drive(String experimentName, int stepsPerRun) {
        String experimentId = null;
        while (!stopped.get() && experimentId == null) {
            JsonNode created = call("experiments/create", Map.of("name", experimentName));
            experimentId = created == null ? null : created.path("experiment_id").asText();
        }
        while (!stopped.get()) {
            JsonNode run = call("runs/create", Map.of("experiment_id", experimentId, "start_time", System.currentTimeMillis()));
            if (run == null) {
                continue;
            }
            String runId = run.at("/run/info/run_id").asText();
            Set<Long> steps = ConcurrentHashMap.newKeySet();
            acknowledged.put(runId, steps);
            for (long step = 0; step < stepsPerRun && !stopped.get(); step++) {
                List<Map<String, Object>> metrics = List.of(
                        Map.of("key", "loss", "value", 1.0 / (step + 1), "timestamp", System.currentTimeMillis(), "step", step),
                        Map.of("key", "accuracy", "value", step / 100.0, "timestamp", System.currentTimeMillis(), "step", step));
                if (call("runs/log-batch", Map.of("run_id", runId, "metrics", metrics)) != null) {
                    steps.add(step);
                }
            }
            call("runs/search", Map.of("experiment_ids", List.of(experimentId), "max_results", 20));
        }
    }

    /** POSTs to an MLflow route; the parsed answer on 200, else null (the failure is recorded). */
    private JsonNode call(String operation, Object body) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url + MLFLOW + operation))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(HttpJson.toJson(body), StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            latencies.computeIfAbsent(operation, key -> new ConcurrentLinkedQueue<>()).add(System.nanoTime() - start);
            if (response.statusCode() == 200) {
                successes.incrementAndGet();
                return HttpJson.parse(response.body());
            }
            failureTimes.add(System.nanoTime());
            failures.add(new Failure(operation, response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
                    response.body()));
            pause();
            return null;
        } catch (IOException e) {
            failureTimes.add(System.nanoTime());
            failures.add(new Failure(operation, -1, null, e.toString()));
            pause();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped.set(true);
            return null;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Stops the clients and waits for their last calls. */
    public void stop() {
        stopped.set(true);
        for (Thread thread : threads) {
            try {
                thread.join(Duration.ofSeconds(90));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public Map<String, Set<Long>> acknowledged() {
        return Map.copyOf(acknowledged);
    }

    public List<Failure> failures() {
        return List.copyOf(failures);
    }

    /** When each failure was answered ({@link System#nanoTime()}). */
    public List<Long> failureTimes() {
        return List.copyOf(failureTimes);
    }

    public long successes() {
        return successes.get();
    }

    /** Latencies in nanoseconds of one operation (runs/create, runs/log-batch, runs/search). */
    public List<Long> latencies(String operation) {
        return List.copyOf(latencies.getOrDefault(operation, new ConcurrentLinkedQueue<>()));
    }

    /** Asserts through {@code http} that every acknowledged run and metric step is stored; returns what was checked. */
    public static long verifyStored(HttpJson http, Map<String, Set<Long>> acknowledged) {
        long checked = 0;
        for (Map.Entry<String, Set<Long>> run : acknowledged.entrySet()) {
            HttpJson.Response got = http.get(MLFLOW + "runs/get?run_id=" + run.getKey());
            if (got.status() != 200) {
                throw new AssertionError("acknowledged run " + run.getKey() + " is lost: " + got.status() + " " + got.text());
            }
            JsonNode history = http.get(MLFLOW + "metrics/get-history?run_id=" + run.getKey() + "&metric_key=loss").json();
            Set<Long> stored = ConcurrentHashMap.newKeySet();
            history.path("metrics").forEach(metric -> stored.add(metric.path("step").asLong()));
            if (!stored.containsAll(run.getValue())) {
                throw new AssertionError("run " + run.getKey() + " lost acknowledged steps: acknowledged " + run.getValue()
                        + ", stored " + stored);
            }
            checked += 1 + run.getValue().size();
        }
        return checked;
    }
}
