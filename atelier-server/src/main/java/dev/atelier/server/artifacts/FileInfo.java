package dev.atelier.server.artifacts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import static java.util.Objects.requireNonNull;

/**
 * One entry of an artifact listing, as MLflow's {@code FileInfo} message
 * (mlflow/protos/mlflow_artifacts.proto). On the wire {@code file_size} is left out for folders and,
 * as MLflow's server does, for empty files.
 *
 * @param path     the entry's name relative to the listed folder
 * @param isDir    whether the entry is a folder
 * @param fileSize size in bytes; 0 for folders
 */
public record FileInfo(
        @JsonProperty("path") String path,
        @JsonProperty("is_dir") boolean isDir,
        @JsonIgnore long fileSize) {

    public FileInfo {
        requireNonNull(path, "path is null");
        if (fileSize < 0) {
            throw new IllegalArgumentException("fileSize is negative: " + fileSize);
        }
    }

    public static FileInfo folder(String path) {
        return new FileInfo(path, true, 0);
    }

    public static FileInfo file(String path, long fileSize) {
        return new FileInfo(path, false, fileSize);
    }

    /** {@code file_size} as MLflow writes it: absent (null) for folders and empty files. */
    @JsonProperty("file_size")
    Long wireFileSize() {
        return isDir || fileSize == 0 ? null : fileSize;
    }
}
