package dev.atelier.sdk;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/** A model version downloaded into {@code directory}: how many files and bytes. */
public record ModelDownload(ModelVersion version, Path directory, int files, long bytes) {
    public ModelDownload {
        requireNonNull(version, "version is null");
        requireNonNull(directory, "directory is null");
    }

    /** Hears how a download advances, for a progress bar. Called from the downloading thread. */
    public interface Progress {
        Progress NONE = new Progress() {
            @Override
            public void start(long totalBytes) {
            }

            @Override
            public void advance(long bytes) {
            }
        };

        /** Before the first byte: the size of the whole download. */
        void start(long totalBytes);

        /** {@code bytes} more arrived. */
        void advance(long bytes);
    }
}
