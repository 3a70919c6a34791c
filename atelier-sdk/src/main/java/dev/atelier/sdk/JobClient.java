package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Jobs of this client's workspace ({@code /api/v1/jobs}). Submitting needs WRITE. Thread-safe.
 * Methods throw {@link dev.atelier.api.AtelierException} and {@link ServerUnreachableException}.
 */
public final class JobClient {
    private final HttpTransport transport;
    private final Function<String, String> paths;
    private final Function<String, String> mlflowPaths;
    private final Function<String, String> artifactPaths;

    JobClient(HttpTransport transport, Function<String, String> paths, Function<String, String> mlflowPaths,
              Function<String, String> artifactPaths) {
        this.transport = requireNonNull(transport, "transport is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.mlflowPaths = requireNonNull(mlflowPaths, "mlflowPaths is null");
        this.artifactPaths = requireNonNull(artifactPaths, "artifactPaths is null");
    }

    /** Submits a job document whose local paths were already replaced by snapshots ({@link JobDocuments#prepare}). */
    public Job create(ObjectNode document) {
        return Job.fromJson(transport.post(paths.apply("jobs"), requireNonNull(document, "document is null")));
    }

    /** Jobs, newest first; {@code parentJob} lists a sweep's trials. */
    public List<Job> list(Optional<String> parentJob, int maxResults) {
        String query = "jobs?max_results=" + maxResults + parentJob.map(parent -> "&parent_job=" + HttpTransport.encode(parent)).orElse("");
        List<Job> jobs = new ArrayList<>();
        transport.get(paths.apply(query)).path("jobs").forEach(node -> jobs.add(Job.fromJson(node)));
        return jobs;
    }

    public Job get(String name) {
        return Job.fromJson(transport.get(path(name)));
    }

    public Job cancel(String name) {
        return Job.fromJson(transport.post(path(name) + "/cancel", HttpTransport.mapper().createObjectNode()));
    }

    /** Log lines after {@code afterSeq} (0: from the start). */
    public JobLogPage logs(String name, long afterSeq) {
        JsonNode page = transport.get(path(name) + "/logs?after=" + afterSeq);
        List<JobLogPage.Line> lines = new ArrayList<>();
        page.path("lines").forEach(line -> lines.add(new JobLogPage.Line(line.path("seq").asLong(), line.path("stream").asText(),
                line.path("time").asLong(), line.path("line").asText())));
        return new JobLogPage(lines, page.path("last_seq").asLong(), page.path("ended").asBoolean());
    }

    /** Downloads the artifacts of the job's run (outputs and logs) under {@code target}; returns the number of files. */
    public int download(String name, Path target) {
        Job job = get(name);
        String uri = transport.get(mlflowPaths.apply("runs/get?run_id=" + job.runId())).path("run").path("info").path("artifact_uri").asText();
        String root = uri.replaceFirst("^mlflow-artifacts:(//[^/]*)?/*", "");
        return downloadFolder(job.runId(), root, "", target);
    }

    private int downloadFolder(String runId, String root, String folder, Path target) {
        int count = 0;
        JsonNode listing = transport.get(mlflowPaths.apply("artifacts/list?run_id=" + runId
                + (folder.isEmpty() ? "" : "&path=" + HttpTransport.encode(folder))));
        for (JsonNode file : listing.path("files")) {
            String path = file.path("path").asText();
            Path local = target.resolve(path).normalize();
            if (!local.startsWith(target.normalize())) {
                throw new IllegalStateException("The server listed an artifact outside the run: " + path);
            }
            if (file.path("is_dir").asBoolean()) {
                count += downloadFolder(runId, root, path, target);
            } else {
                try {
                    Files.createDirectories(local.getParent());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("Cannot create " + local.getParent() + ": " + e.getMessage(), e);
                }
                transport.getFile(artifactPaths.apply(root + "/" + path), local);
                count++;
            }
        }
        return count;
    }

    private String path(String name) {
        return paths.apply("jobs/" + HttpTransport.encode(requireNonNull(name, "name is null")));
    }
}
