package dev.atelier.server.jobs;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * An input of a job: a literal value, a file or folder uploaded as a snapshot, or data stored on the
 * server's side (a data asset version or a datastore path).
 */
public sealed interface JobInput {
    /** A number, string or boolean, bound as its text. */
    record Literal(String value) implements JobInput {
        public Literal {
            requireNonNull(value, "value is null");
        }
    }

    /**
     * A {@code uri_folder} (the whole snapshot) or {@code uri_file} ({@code file} inside the snapshot),
     * materialized under the job's {@code inputs/<name>} folder.
     */
    record Data(String type, String snapshotId, Optional<String> file) implements JobInput {
        public Data {
            requireNonNull(type, "type is null");
            requireNonNull(snapshotId, "snapshotId is null");
            requireNonNull(file, "file is null");
        }
    }

    /**
     * A data asset version ({@code data:<name>:<version>}; {@code @latest} is pinned to a number when
     * the job is submitted) or a datastore path ({@code datastore://<datastore>/<path>}).
     *
     * @param type the declared {@code uri_file} or {@code uri_folder}; empty to take the asset's own
     * @param mode how the process gets it
     */
    record Stored(Optional<String> type, String path, Mode mode) implements JobInput {
        public Stored {
            requireNonNull(type, "type is null");
            requireNonNull(path, "path is null");
            requireNonNull(mode, "mode is null");
        }
    }

    /** Azure ML's input modes that Atelier offers; the mount modes are not offered. */
    enum Mode {
        /** Copied under the job's folder before it starts; {@code ${{inputs.x}}} is the local path. */
        DOWNLOAD("download"),
        /** {@code ${{inputs.x}}} is the datastore URI, as is. */
        DIRECT("direct");

        private final String wireName;

        Mode(String wireName) {
            this.wireName = wireName;
        }

        String wireName() {
            return wireName;
        }
    }
}
