package dev.atelier.server.data;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.artifacts.ArtifactContent;
import dev.atelier.server.artifacts.ArtifactPath;
import dev.atelier.server.artifacts.ArtifactRepository;
import dev.atelier.server.artifacts.FileInfo;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Upload sessions' files in the artifact store every server reaches, for servers sharing PostgreSQL: each chunk is one
 * object {@code <workspace>/<id>/<random>} in the store's {@value #AREA} area (a name no workspace can have), recorded in
 * {@code upload_parts} with its file and offset, so a session begun on one server is appended to and finished on any
 * other. A file is its chunks in offset order; a chunk is acknowledged once its object is written (the store's writes
 * are atomic) and its row committed. Two servers appending at one offset at once: the first row wins, the other's
 * object is deleted and it answers 409 with the offset to continue from. Thread-safe.
 */
final class SharedUploadFiles implements UploadFiles {
    static final String AREA = ".uploads";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SharedUploadFiles.class);

    private final ArtifactRepository repository;
    private final UploadPartStore parts;

    SharedUploadFiles(ArtifactRepository repository, UploadPartStore parts) {
        this.repository = requireNonNull(repository, "repository is null");
        this.parts = requireNonNull(parts, "parts is null");
    }

    @Override
    public void create(String workspace, String id) {
        // A session's objects appear with its first chunk.
    }

    @Override
    public boolean exists(String workspace, String id) {
        return true; // the session's row is the session
    }

    @Override
    public long size(String workspace, String id, ArtifactPath path) {
        return parts.size(workspace, id, path.value());
    }

    @Override
    public long append(String workspace, String id, ArtifactPath path, long offset, InputStream content, long maxBytes)
            throws IOException {
        ArtifactPath key = ArtifactPath.parse(workspace + "/" + id + "/" + UUID.randomUUID().toString().replace("-", ""));
        Limited limited = new Limited(content, maxBytes);
        long written;
        try {
            written = repository.write(AREA, key, limited);
        } catch (IOException | RuntimeException e) {
            if (limited.remaining >= 0) {
                throw e;
            }
            repository.delete(AREA, key); // over the quota (the store may have wrapped TooLarge in its own exception)
            return -1;
        }
        if (!parts.insert(workspace, id, new UploadPartStore.Part(path.value(), offset, written, key.value()))) {
            repository.delete(AREA, key);
            long size = parts.size(workspace, id, path.value());
            throw new AtelierException(ErrorCode.RESOURCE_CONFLICT, "Upload '" + id + "' holds " + size + " bytes of '" + path
                    + "'; send the chunk at offset " + size + ", not " + offset);
        }
        return offset + written;
    }

    @Override
    public void cutBack(String workspace, String id, ArtifactPath path, long offset) {
        List<UploadPartStore.Part> dropped = parts.parts(workspace, id, Optional.of(path.value())).stream()
                .filter(part -> part.offset() >= offset).toList();
        parts.deleteFrom(workspace, id, path.value(), offset);
        for (UploadPartStore.Part part : dropped) {
            try {
                repository.delete(AREA, ArtifactPath.parse(part.key()));
            } catch (IOException e) {
                LOG.warn("removing a chunk of upload {}/{} failed: {}", workspace, id, e.toString());
            }
        }
    }

    @Override
    public List<FileInfo> files(String workspace, String id) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (UploadPartStore.Part part : parts.parts(workspace, id, Optional.empty())) {
            sizes.merge(part.path(), part.offset() + part.size(), Math::max);
        }
        List<FileInfo> files = new ArrayList<>();
        sizes.forEach((path, size) -> files.add(FileInfo.file(path, size)));
        return files;
    }

    @Override
    public ArtifactContent open(String workspace, String id, ArtifactPath path) {
        List<UploadPartStore.Part> chunks = parts.parts(workspace, id, Optional.of(path.value())).stream()
                .filter(part -> part.size() > 0).toList();
        if (files(workspace, id).stream().noneMatch(file -> file.path().equals(path.value()))) {
            throw AtelierException.notFound("Upload '" + id + "' has no file '" + path + "'");
        }
        Iterator<UploadPartStore.Part> next = chunks.iterator();
        InputStream joined = new SequenceInputStream(new java.util.Enumeration<InputStream>() {
            @Override
            public boolean hasMoreElements() {
                return next.hasNext();
            }

            @Override
            public InputStream nextElement() {
                try {
                    return repository.open(AREA, ArtifactPath.parse(next.next().key())).stream();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        return new ArtifactContent(chunks.isEmpty() ? InputStream.nullInputStream() : joined,
                chunks.stream().mapToLong(UploadPartStore.Part::size).sum());
    }

    @Override
    public void delete(String workspace, String id) throws IOException {
        parts.deleteSession(workspace, id);
        repository.deletePrefix(AREA, ArtifactPath.parse(workspace + "/" + id));
    }

    @Override
    public void deleteWorkspace(String workspace) throws IOException {
        repository.deletePrefix(AREA, ArtifactPath.parse(workspace));
    }

    /** Removes the chunks of expired sessions (an expired session takes no chunk, so none appears meanwhile). */
    @Override
    public void sweep(Optional<String> workspace, long expiredBefore, UploadSessionStore sessions) {
        for (String[] session : parts.expiredWithParts(workspace)) {
            try {
                repository.deletePrefix(AREA, ArtifactPath.parse(session[0] + "/" + session[1]));
                parts.deleteSession(session[0], session[1]);
            } catch (IOException e) {
                LOG.warn("removing expired upload {}/{} failed: {}", session[0], session[1], e.toString());
            }
        }
    }

    /** More bytes than the quota leaves: the write fails, so the store keeps nothing of it. */
    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("the chunk is larger than the upload quota leaves");
        }
    }

    /** Passes at most {@code maxBytes} through, failing the read past them. Not thread-safe. */
    private static final class Limited extends FilterInputStream {
        private long remaining;

        Limited(InputStream in, long maxBytes) {
            super(in);
            this.remaining = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int read = super.read();
            if (read >= 0 && --remaining < 0) {
                throw new TooLarge();
            }
            return read;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            if (read > 0) {
                remaining -= read;
                if (remaining < 0) {
                    throw new TooLarge();
                }
            }
            return read;
        }

        @Override
        public void close() {
            // The caller owns the request's stream.
        }
    }
}
