package dev.atelier.server.artifacts;

import java.io.IOException;
import java.io.InputStream;

import static java.util.Objects.requireNonNull;

/**
 * An artifact opened for reading. The caller owns the stream and must close it (this record's
 * {@link #close()} does). Not thread-safe: one reader at a time.
 *
 * @param stream the artifact's bytes, from the first
 * @param size   the artifact's size in bytes when it was opened
 */
public record ArtifactContent(InputStream stream, long size) implements AutoCloseable {
    public ArtifactContent {
        requireNonNull(stream, "stream is null");
        if (size < 0) {
            throw new IllegalArgumentException("size is negative: " + size);
        }
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
