package dev.atelier.workers.automl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Records runs in a folder when there is no tracking server (AutoMlMain run by hand, tests): run {@code <id>} is
 * {@code <root>/<id>/} with {@code run.json} (name, tags, params, metrics, status) and {@code artifacts/}. Ids are
 * {@code run-1}, {@code run-2}... in the order runs start; the parent is {@code parent}. Thread-safe.
 */
public final class FolderTracker implements Tracker {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;
    private final AtomicInteger next = new AtomicInteger();
    private final Map<String, Map<String, Object>> runs = new LinkedHashMap<>();

    public FolderTracker(Path root) {
        this.root = requireNonNull(root, "root is null");
        start("parent", "parent", Map.of());
    }

    @Override
    public synchronized String startChild(String name, Map<String, String> tags) {
        Map<String, String> all = new LinkedHashMap<>(tags);
        all.put("mlflow.parentRunId", parentRunId());
        return start("run-" + next.incrementAndGet(), name, all);
    }

    private synchronized String start(String id, String name, Map<String, String> tags) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("name", name);
        run.put("tags", new LinkedHashMap<>(tags));
        run.put("params", new LinkedHashMap<String, String>());
        run.put("metrics", new LinkedHashMap<String, Double>());
        run.put("status", "RUNNING");
        runs.put(id, run);
        save(id);
        return id;
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized void log(String runId, Map<String, Double> metrics, Map<String, String> params, Map<String, String> tags) {
        Map<String, Object> run = run(runId);
        ((Map<String, Double>) run.get("metrics")).putAll(metrics);
        ((Map<String, String>) run.get("params")).putAll(params);
        ((Map<String, String>) run.get("tags")).putAll(tags);
        save(runId);
    }

    @Override
    public synchronized void end(String runId, String status) {
        run(runId).put("status", status);
        save(runId);
    }

    @Override
    public void upload(String runId, Path folder, String artifactPath) {
        Path target = root.resolve(runId).resolve("artifacts").resolve(artifactPath);
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path copy = target.resolve(folder.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String parentRunId() {
        return "parent";
    }

    /** A run's record (name, tags, params, metrics, status) as {@code run.json} holds it; read it when the search is over. */
    public synchronized Map<String, Object> run(String runId) {
        Map<String, Object> run = runs.get(runId);
        if (run == null) {
            throw new IllegalArgumentException("no run " + runId);
        }
        return run;
    }

    /** The folder of a run's artifacts. */
    public Path artifacts(String runId) {
        return root.resolve(runId).resolve("artifacts");
    }

    private void save(String id) {
        try {
            Files.createDirectories(root.resolve(id));
            JSON.writeValue(root.resolve(id).resolve("run.json").toFile(), runs.get(id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
