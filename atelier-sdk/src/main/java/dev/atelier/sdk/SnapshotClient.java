package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Code snapshots ({@code /api/v1/snapshots}): uploads a folder content-addressed. The manifest is
 * sent first (the server checks paths and the size limit, and answers which contents it lacks),
 * then only the missing blobs, then the manifest again to create the snapshot. Thread-safe.
 */
public final class SnapshotClient {
    /** What the client refuses to scan beyond, whatever the server's own limit (which it checks too). */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    private static final int CHUNK = 256 * 1024;
    static final int PARALLEL_UPLOADS = 4;
    static final long BATCH_FILE_BYTES = 256 * 1024;
    static final long BATCH_BYTES = 4L * 1024 * 1024;
    static final int BATCH_FILES = 500;

    private final HttpTransport transport;
    private final Function<String, String> paths;

    SnapshotClient(HttpTransport transport, Function<String, String> paths) {
        this.transport = requireNonNull(transport, "transport is null");
        this.paths = requireNonNull(paths, "paths is null");
    }

    /** Uploads a folder (or one file) and returns the snapshot's id. */
    public String upload(Path folderOrFile, UploadProgress progress) {
        return upload(folderOrFile, DEFAULT_MAX_BYTES, progress);
    }

    public String upload(Path folderOrFile, long maxBytes, UploadProgress progress) {
        List<CodeFolder.LocalFile> files = CodeFolder.scan(folderOrFile, maxBytes);
        ObjectNode manifest = HttpTransport.mapper().createObjectNode();
        ArrayNode entries = manifest.putArray("files");
        files.forEach(file -> entries.addObject().put("path", file.path()).put("sha256", file.sha256()).put("size", file.size()));
        JsonNode missing = transport.post(paths.apply("snapshots/missing-blobs"), manifest);
        Set<String> wanted = new HashSet<>();
        missing.path("missing").forEach(hash -> wanted.add(hash.asText()));
        List<CodeFolder.LocalFile> toSend = files.stream().filter(file -> wanted.remove(file.sha256())).toList();
        progress.start(toSend.stream().mapToLong(CodeFolder.LocalFile::size).sum(), toSend.size());
        try {
            sendAll(toSend, progress);
        } catch (RuntimeException e) {
            progress.failed();
            throw e;
        }
        progress.done();
        return transport.post(paths.apply("snapshots"), manifest).path("snapshot_id").asText();
    }

    /**
     * Sends the blobs {@value #PARALLEL_UPLOADS} requests at a time: files up to {@value #BATCH_FILE_BYTES} bytes go
     * together in batches (one request per {@value #BATCH_BYTES} bytes), larger ones stream one per request.
     */
    private void sendAll(List<CodeFolder.LocalFile> files, UploadProgress progress) {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Semaphore slots = new Semaphore(PARALLEL_UPLOADS);
            List<Future<?>> sent = new ArrayList<>();
            List<CodeFolder.LocalFile> batch = new ArrayList<>();
            long batchBytes = 0;
            for (CodeFolder.LocalFile file : files) {
                if (file.size() > BATCH_FILE_BYTES) {
                    sent.add(submit(executor, slots, () -> transport.sendBody("PUT", paths.apply("snapshots/blobs/" + file.sha256()),
                            body(file.file(), progress), "application/octet-stream")));
                    continue;
                }
                batch.add(file);
                batchBytes += file.size();
                if (batchBytes >= BATCH_BYTES || batch.size() >= BATCH_FILES) {
                    List<CodeFolder.LocalFile> full = List.copyOf(batch);
                    sent.add(submit(executor, slots, () -> sendBatch(full, progress)));
                    batch.clear();
                    batchBytes = 0;
                }
            }
            if (!batch.isEmpty()) {
                List<CodeFolder.LocalFile> last = List.copyOf(batch);
                sent.add(submit(executor, slots, () -> sendBatch(last, progress)));
            }
            for (Future<?> future : sent) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException failure) {
                        throw failure;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while uploading the snapshot", e);
                }
            }
        }
    }

    private static Future<?> submit(ExecutorService executor, Semaphore slots, Runnable upload) {
        slots.acquireUninterruptibly();
        return executor.submit(() -> {
            try {
                upload.run();
            } finally {
                slots.release();
            }
        });
    }

    /** One request holding several blobs, each framed as {@code <sha256> <size>\n<bytes>}. */
    private void sendBatch(List<CodeFolder.LocalFile> files, UploadProgress progress) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        long bytes = 0;
        for (CodeFolder.LocalFile file : files) {
            try {
                body.write((file.sha256() + " " + file.size() + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                byte[] content = Files.readAllBytes(file.file());
                if (content.length != file.size()) {
                    throw new IllegalStateException(file.file() + " changed while it was being uploaded");
                }
                body.write(content);
                bytes += content.length;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file.file() + ": " + e.getMessage(), e);
            }
        }
        transport.sendBody("POST", paths.apply("snapshots/blob-batch"), HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()),
                "application/octet-stream");
        progress.advance(bytes);
    }

    /** The snapshot's metadata and file tree ({@code files}: path, sha256, size). */
    public JsonNode get(String snapshotId) {
        return transport.get(paths.apply("snapshots/" + HttpTransport.encode(requireNonNull(snapshotId, "snapshotId is null"))));
    }

    /** A body that reads the file in chunks and reports each one. */
    private static HttpRequest.BodyPublisher body(Path file, UploadProgress progress) {
        try {
            long size = Files.size(file);
            if (size == 0) {
                return HttpRequest.BodyPublishers.noBody();
            }
            return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                try {
                    return new CountingStream(Files.newInputStream(file), progress);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }), size);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static final class CountingStream extends java.io.FilterInputStream {
        private final UploadProgress progress;

        CountingStream(InputStream in, UploadProgress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, Math.min(length, CHUNK));
            if (read > 0) {
                progress.advance(read);
            }
            return read;
        }
    }
}
