package dev.atelier.server.snapshots;

import dev.atelier.api.AtelierException;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reading the frames of a batch upload: an ASCII header line, then a fixed number of content bytes. */
final class BlobFrames {
    static final int MAX_HEADER = 100;

    private BlobFrames() {
    }

    /** The next header line without its line feed; {@code null} at the end of the body. */
    static String readHeader(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                if (line.size() == 0) {
                    return null;
                }
                throw AtelierException.invalidParameter("The body ended inside a blob frame header");
            }
            if (line.size() >= MAX_HEADER) {
                throw AtelierException.invalidParameter("Blob frame header longer than " + MAX_HEADER + " bytes");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    /** The next {@code size} bytes of a stream, never more; closing it leaves the stream open. */
    static final class Limited extends FilterInputStream {
        private long remaining;

        Limited(InputStream in, long size) {
            super(in);
            this.remaining = size;
        }

        long remaining() {
            return remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int read = super.read(buffer, offset, (int) Math.min(length, remaining));
            if (read > 0) {
                remaining -= read;
            }
            return read;
        }

        @Override
        public void close() {
            // The batch's stream is read on after this blob.
        }
    }
}
