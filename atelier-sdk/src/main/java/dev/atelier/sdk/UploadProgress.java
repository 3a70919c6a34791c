package dev.atelier.sdk;

/** Reports a snapshot upload: the bytes to send once the server said which blobs it lacks, each chunk sent, the end. */
public interface UploadProgress {
    UploadProgress NONE = new UploadProgress() {
        @Override
        public void start(long bytes, int files) {
            // Nothing to show.
        }

        @Override
        public void advance(long bytes) {
            // Nothing to show.
        }
    };

    void start(long bytes, int files);

    void advance(long bytes);

    /** Every missing blob was sent. */
    default void done() {
    }

    /** The upload stopped on an error (which the caller is about to see): end the display without completing it. */
    default void failed() {
    }
}
