package dev.atelier.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Reads a job YAML file (Azure ML CLI v2 style) and makes it submittable: the local {@code code}
 * folder (of the job, or of a sweep's {@code trial}) and the local {@code path} of file and folder
 * inputs, relative to the YAML file, are uploaded as snapshots and replaced by
 * {@code snapshot:<id>} (a file input by {@code snapshot:<id>/<file name>}). Data asset references
 * ({@code data:...}, {@code azureml:...}) and URIs ({@code datastore://...}) are left for the server.
 * In a pipeline ({@code type: pipeline}) each step's local {@code code}, inline environment files and data inputs are
 * sent the same way, and a {@code component:} naming a local file ({@code ./train.yml}) is replaced by that component's
 * document ({@link ComponentDocuments#prepare}), all relative to the pipeline file.
 */
public final class JobDocuments {
    private static final Pattern REMOTE = Pattern.compile("^(snapshot:|azureml:|data:|[a-z][a-z0-9+.-]*://).*");
    private static final YAMLMapper YAML = new YAMLMapper();

    private JobDocuments() {
    }

    /** Parses YAML; {@link IllegalArgumentException} with the line and column when it is malformed. */
    public static ObjectNode parse(String yaml) {
        return parseMapping(yaml, "The job file must be a YAML mapping of fields (type, command, ...)");
    }

    /** Parses a YAML (or JSON) mapping; {@code notAMapping} is the message when the document is something else. */
    static ObjectNode parseMapping(String yaml, String notAMapping) {
        try {
            JsonNode node = YAML.readTree(yaml);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(notAMapping);
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new IllegalArgumentException("Invalid YAML" + where + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The text of a document file; {@link UncheckedIOException} naming the file when it cannot be read. */
    static String readText(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code file}, uploads its local code and inputs through {@code snapshots}, and returns the document to submit. */
    public static ObjectNode prepare(Path file, SnapshotClient snapshots, UploadProgress progress) {
        String yaml = readText(file);
        ObjectNode document = parse(yaml);
        Path base = file.toAbsolutePath().getParent();
        uploadCode(document, base, snapshots, progress);
        if (document.path("trial").isObject()) {
            uploadCode((ObjectNode) document.get("trial"), base, snapshots, progress);
        }
        // An inline environment's conda file (and requirements file) beside the job file are sent as their text.
        if (document.path("environment").isObject()) {
            EnvironmentDocuments.readFiles((ObjectNode) document.get("environment"), base, "environment.");
            EnvironmentDocuments.uploadBuild((ObjectNode) document.get("environment"), base, "environment.", snapshots, progress);
        }
        if (document.path("trial").path("environment").isObject()) {
            EnvironmentDocuments.readFiles((ObjectNode) document.get("trial").get("environment"), base, "trial.environment.");
            EnvironmentDocuments.uploadBuild((ObjectNode) document.get("trial").get("environment"), base, "trial.environment.", snapshots,
                    progress);
        }
        uploadInputs(document, base, snapshots, progress);
        if ("pipeline".equals(document.path("type").asText()) && document.path("jobs").isObject()) {
            document.get("jobs").properties().forEach(entry -> {
                if (entry.getValue().isObject()) {
                    prepareStep((ObjectNode) entry.getValue(), "jobs." + entry.getKey() + ".", base, snapshots, progress);
                }
            });
        }
        return document;
    }

    /** A pipeline step: its code, inline environment and data inputs, or its component file (a sweep step's trial). */
    private static void prepareStep(ObjectNode step, String prefix, Path base, SnapshotClient snapshots, UploadProgress progress) {
        String field = "sweep".equals(step.path("type").asText()) ? "trial" : "component";
        JsonNode component = step.get(field);
        if (component != null && component.isTextual() && !REMOTE.matcher(component.asText()).matches()
                && (component.asText().endsWith(".yml") || component.asText().endsWith(".yaml") || component.asText().startsWith("."))) {
            Path file = base.resolve(component.asText()).normalize();
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("Invalid value for '" + prefix + field + "': " + file + " is not a file");
            }
            step.set(field, ComponentDocuments.prepare(file, snapshots, progress));
        } else if (component != null && component.isObject()) {
            ObjectNode inline = (ObjectNode) component;
            uploadCode(inline, base, snapshots, progress);
            if (inline.path("environment").isObject()) {
                EnvironmentDocuments.readFiles((ObjectNode) inline.get("environment"), base, prefix + field + ".environment.");
                EnvironmentDocuments.uploadBuild((ObjectNode) inline.get("environment"), base, prefix + field + ".environment.",
                        snapshots, progress);
            }
        }
        uploadCode(step, base, snapshots, progress);
        if (step.path("environment").isObject()) {
            EnvironmentDocuments.readFiles((ObjectNode) step.get("environment"), base, prefix + "environment.");
            EnvironmentDocuments.uploadBuild((ObjectNode) step.get("environment"), base, prefix + "environment.", snapshots, progress);
        }
        uploadInputs(step, base, snapshots, progress);
    }

    /** Uploads the local {@code path} of each file or folder input. */
    private static void uploadInputs(ObjectNode document, Path base, SnapshotClient snapshots, UploadProgress progress) {
        if (document.path("inputs").isObject()) {
            document.get("inputs").properties().forEach(entry -> {
                if (entry.getValue().isObject() && entry.getValue().path("path").isTextual()) {
                    ObjectNode input = (ObjectNode) entry.getValue();
                    String path = input.get("path").asText();
                    if (!REMOTE.matcher(path).matches() && !path.contains("${{")) {
                        Path local = base.resolve(path).normalize();
                        String id = snapshots.upload(local, progress);
                        input.put("path", "snapshot:" + id + (Files.isRegularFile(local) ? "/" + local.getFileName() : ""));
                    }
                }
            });
        }
    }

    static void uploadCode(ObjectNode node, Path base, SnapshotClient snapshots, UploadProgress progress) {
        JsonNode code = node.get("code");
        if (code != null && code.isTextual() && !REMOTE.matcher(code.asText()).matches()) {
            Path folder = base.resolve(code.asText()).normalize();
            if (!Files.isDirectory(folder)) {
                throw new IllegalArgumentException("Invalid value for 'code': " + folder + " is not a folder");
            }
            node.put("code", "snapshot:" + snapshots.upload(folder, progress));
        }
    }
}
