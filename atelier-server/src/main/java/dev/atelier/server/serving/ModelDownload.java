package dev.atelier.server.serving;

import dev.atelier.server.artifacts.ArtifactContent;
import dev.atelier.server.artifacts.ArtifactService;
import dev.atelier.server.artifacts.FileInfo;
import dev.atelier.server.registry.ModelFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Copies a registered model version's files from artifact storage (local or S3) into a local folder. */
public final class ModelDownload {
    private ModelDownload() {
    }

    /** Copies every file below {@code files} into {@code target} (created), keeping the folder layout. */
    public static void copy(ArtifactService artifacts, ModelFiles files, Path target) {
        try {
            Files.createDirectories(target);
            copyFolder(artifacts, files.workspace(), files.path(), target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the files of model " + files.version().name() + " version "
                    + files.version().version() + ": " + e.getMessage(), e);
        }
    }

    private static void copyFolder(ArtifactService artifacts, String workspace, String folder, Path target) throws IOException {
        for (FileInfo entry : artifacts.list(workspace, folder)) {
            String path = folder + "/" + entry.path();
            Path local = target.resolve(entry.path()).normalize();
            if (!local.startsWith(target)) {
                throw new IOException("model file " + entry.path() + " leaves the model folder");
            }
            if (entry.isDir()) {
                Files.createDirectories(local);
                copyFolder(artifacts, workspace, path, local);
            } else {
                try (ArtifactContent content = artifacts.open(workspace, path)) {
                    Files.copy(content.stream(), local, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
