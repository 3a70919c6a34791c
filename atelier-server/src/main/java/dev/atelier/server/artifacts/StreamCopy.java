package dev.atelier.server.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies artifact bytes with a buffer larger than {@link InputStream#transferTo}'s 16 KiB: a
 * gigabyte moves in fewer, larger reads and writes through Jetty and the file system, while the
 * memory held per transfer stays fixed. Thread-safe (each copy has its own buffer).
 */
final class StreamCopy {
    static final int BUFFER_BYTES = 128 * 1024;

    private StreamCopy() {
    }

    /** Copies {@code in} to its end into {@code out}, closing neither; returns the bytes copied. */
    static long copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        long total = 0;
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            out.write(buffer, 0, read);
            total += read;
        }
        return total;
    }
}
