package dev.atelier.server.batch;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A finished mini-batch of a scoring job.
 *
 * @param fileIndex the input file's position in the job's sorted listing (the first file's, for a mini-batch of files)
 * @param chunk     the mini-batch's position within that file (rows), 0 for a mini-batch of files
 * @param items     the rows (or files) it held
 * @param attempts  how many times it was run (1 + retries)
 */
public record MiniBatchResult(int fileIndex, int chunk, boolean done, long items, int attempts, Optional<String> error, long finishedAt) {
    public MiniBatchResult {
        requireNonNull(error, "error is null");
    }
}
