package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;

/**
 * Reads a schedule YAML file (Azure ML CLI v2 style) and makes it submittable: a {@code create_job} (or
 * {@code create_job.job}) that names a local job file, relative to the schedule file, is replaced by that job's document
 * as {@link JobDocuments#prepare} makes it (its code and local inputs uploaded). {@code azureml:<job>} references and
 * inline jobs are left for the server.
 */
public final class ScheduleDocuments {
    private ScheduleDocuments() {
    }

    /** Reads {@code file}, uploads what its local job file needs through {@code snapshots}, and returns the document to send. */
    public static ObjectNode prepare(Path file, SnapshotClient snapshots, UploadProgress progress) {
        String yaml = JobDocuments.readText(file);
        ObjectNode document = JobDocuments.parseMapping(yaml, "The schedule file must be a YAML mapping of fields (name, trigger, "
                + "create_job)");
        Path base = file.toAbsolutePath().getParent();
        JsonNode createJob = document.get("create_job");
        if (isLocal(createJob)) {
            document.set("create_job", JobDocuments.prepare(base.resolve(createJob.asText()), snapshots, progress));
        } else if (createJob instanceof ObjectNode mapping && isLocal(mapping.get("job"))) {
            mapping.set("job", JobDocuments.prepare(base.resolve(mapping.get("job").asText()), snapshots, progress));
        }
        return document;
    }

    private static boolean isLocal(JsonNode reference) {
        return reference != null && reference.isTextual() && !reference.asText().startsWith("azureml:");
    }
}
