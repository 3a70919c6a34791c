package dev.atelier.server.jobs;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** An input of a job: a literal value, or a file or folder uploaded as a snapshot. */
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
}
