package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads environment files (Azure ML's environment YAML with Atelier's {@code python} and {@code requirements}) into the
 * document {@code POST /api/v1/environments} takes. Files the document names beside it are read in: {@code conda_file}
 * (a path, as Azure writes it) and {@code requirements} when it is one line naming a file (a requirements.txt).
 * {@code $schema} is dropped; everything else is left for the server to check. {@link #uploadBuild} uploads an image
 * build's {@code build.path} (Azure's folder holding the Dockerfile) as a snapshot and sends
 * {@code build.context: snapshot:<id>} in its place.
 */
public final class EnvironmentDocuments {
    private EnvironmentDocuments() {
    }

    /** An environment file; {@link IllegalArgumentException} when it is malformed or a file it names cannot be read. */
    public static ObjectNode read(Path file) {
        String yaml = JobDocuments.readText(file);
        ObjectNode document = JobDocuments.parseMapping(yaml, "The environment file must be a YAML mapping of fields (name, python, "
                + "requirements, image, ...)");
        document.remove("$schema");
        readFiles(document, file.toAbsolutePath().getParent(), "");
        return document;
    }

    /** Replaces {@code conda_file} and a one-line {@code requirements} naming a file (relative to {@code base}) by their text. */
    static void readFiles(ObjectNode environment, Path base, String prefix) {
        JsonNode conda = environment.get("conda_file");
        if (conda != null && conda.isTextual() && !conda.asText().contains("\n")) {
            Path path = base.resolve(conda.asText().strip()).normalize();
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("Invalid value for '" + prefix + "conda_file': " + path + " is not a file");
            }
            environment.put("conda_file", readText(path));
        }
        JsonNode requirements = environment.get("requirements");
        if (requirements != null && requirements.isTextual() && !requirements.asText().strip().contains("\n")) {
            Path path = base.resolve(requirements.asText().strip()).normalize();
            if (Files.isRegularFile(path)) {
                environment.put("requirements", readText(path));
            }
        }
    }

    /**
     * Uploads {@code build.path} (a folder relative to {@code base}) through {@code snapshots} and replaces it by
     * {@code build.context: snapshot:<id>}; a document without {@code build.path} is left as it is.
     *
     * @throws IllegalArgumentException naming the field when the path is not a folder
     */
    public static void uploadBuild(ObjectNode environment, Path base, String prefix, SnapshotClient snapshots, UploadProgress progress) {
        JsonNode build = environment.get("build");
        if (build == null || !build.isObject() || !build.path("path").isTextual()) {
            return;
        }
        Path folder = base.resolve(build.get("path").asText().strip()).normalize();
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("Invalid value for '" + prefix + "build.path': " + folder + " is not a folder");
        }
        ObjectNode uploaded = (ObjectNode) build;
        uploaded.remove("path");
        uploaded.put("context", "snapshot:" + snapshots.upload(folder, progress));
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
