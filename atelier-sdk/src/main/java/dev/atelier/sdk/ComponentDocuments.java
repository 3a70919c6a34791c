package dev.atelier.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;

/**
 * Reads a component YAML file (Azure ML CLI v2's {@code type: command} component) and makes it sendable: its local
 * {@code code} folder, relative to the file, is uploaded as a snapshot and replaced by {@code snapshot:<id>}, and an
 * inline environment's files beside it are read (as a job's are). Used by {@code atelier component create -f} and for
 * the pipeline steps whose {@code component:} is a local file.
 */
public final class ComponentDocuments {
    private ComponentDocuments() {
    }

    /** Parses YAML; {@link IllegalArgumentException} with the line and column when it is malformed. */
    public static ObjectNode parse(String yaml) {
        return JobDocuments.parseMapping(yaml, "The component file must be a YAML mapping of fields (name, command, inputs, ...)");
    }

    /** Reads {@code file}, uploads its local code through {@code snapshots}, and returns the document to send. */
    public static ObjectNode prepare(Path file, SnapshotClient snapshots, UploadProgress progress) {
        String yaml = JobDocuments.readText(file);
        ObjectNode document = parse(yaml);
        Path base = file.toAbsolutePath().getParent();
        JobDocuments.uploadCode(document, base, snapshots, progress);
        if (document.path("environment").isObject()) {
            EnvironmentDocuments.readFiles((ObjectNode) document.get("environment"), base, "environment.");
            EnvironmentDocuments.uploadBuild((ObjectNode) document.get("environment"), base, "environment.", snapshots, progress);
        }
        return document;
    }
}
