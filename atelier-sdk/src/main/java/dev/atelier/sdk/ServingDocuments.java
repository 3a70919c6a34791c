package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Reads online endpoint and deployment files (YAML close to Azure ML's {@code managedOnlineEndpoint} and
 * {@code managedOnlineDeployment} schemas, or JSON) into the documents the native API takes. A deployment's local
 * {@code code_configuration.code} folder, relative to the file, is uploaded as a snapshot and replaced by
 * {@code snapshot:<id>}, as {@link JobDocuments} does for a job's code. {@code $schema} is dropped (it only helps
 * editors); everything else is left for the server to check.
 */
public final class ServingDocuments {
    private static final Pattern REMOTE = Pattern.compile("^(snapshot:|azureml:|[a-z][a-z0-9+.-]*://).*");

    private ServingDocuments() {
    }

    /** An endpoint file: {@code name, auth_mode, description, tags, traffic, mirror_traffic}. */
    public static ObjectNode endpoint(Path file) {
        return parseEndpoint(readString(file));
    }

    /** Parses an endpoint document given as text (YAML or JSON). */
    public static ObjectNode parseEndpoint(String yaml) {
        ObjectNode document = JobDocuments.parseMapping(yaml, "The endpoint file must be a YAML mapping of fields (name, auth_mode, ...)");
        document.remove("$schema");
        return document;
    }

    /** Parses a deployment document given as text (YAML or JSON); its code is not uploaded. */
    public static ObjectNode parseDeployment(String yaml) {
        ObjectNode document = JobDocuments.parseMapping(yaml, "The deployment file must be a YAML mapping of fields (name, model, ...)");
        document.remove("$schema");
        return document;
    }

    /**
     * A deployment file, its local code folder uploaded through {@code snapshots}; {@link IllegalArgumentException}
     * when the file is malformed or the code folder does not exist.
     */
    public static ObjectNode deployment(Path file, SnapshotClient snapshots, UploadProgress progress) {
        ObjectNode document = parseDeployment(readString(file));
        uploadCode(document, file.toAbsolutePath().getParent(), snapshots, progress);
        return document;
    }

    /** Replaces a local {@code code_configuration.code} (resolved against {@code base}) by the snapshot it was uploaded as. */
    static void uploadCode(ObjectNode document, Path base, SnapshotClient snapshots, UploadProgress progress) {
        JsonNode configuration = document.get("code_configuration");
        if (configuration == null || !configuration.isObject()) {
            return;
        }
        JsonNode code = configuration.get("code");
        if (code == null || !code.isTextual() || REMOTE.matcher(code.asText()).matches()) {
            return;
        }
        Path folder = base.resolve(code.asText()).normalize();
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("Invalid value for 'code_configuration.code': " + folder + " is not a folder");
        }
        ((ObjectNode) configuration).put("code", "snapshot:" + snapshots.upload(folder, progress));
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
