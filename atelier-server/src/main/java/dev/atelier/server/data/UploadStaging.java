package dev.atelier.server.data;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.artifacts.ArtifactContent;
import dev.atelier.server.artifacts.ArtifactPath;
import dev.atelier.server.artifacts.FileInfo;
import dev.atelier.server.artifacts.LocalArtifactRepository;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Resumable uploads of local files before they become a data asset version: a session is a folder
 * {@code <root>/<workspace>/<id>} on the server's disk; a client appends chunks to each file at the
 * offset it says it is at (a chunk at any other offset is refused with the offset the server has,
 * so a client that lost a connection asks and continues from there). Sessions survive restarts and
 * are removed when the version is registered or the session is deleted. Appends to one file are
 * serialized; each chunk is forced to disk before it is acknowledged. Thread-safe.
 */
final class UploadStaging {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

    private final Path root;
    private final ConcurrentHashMap<Path, Object> locks = new ConcurrentHashMap<>();

    UploadStaging(Path root) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
    }

    String create(String workspace) throws IOException {
        String id = UUID.randomUUID().toString().replace("-", "");
        Files.createDirectories(session(workspace, id));
        return id;
    }

    /** Appends {@code content} to {@code path} when {@code offset} is the file's current size; returns the new size. */
    long append(String workspace, String id, ArtifactPath path, long offset, InputStream content) throws IOException {
        if (path.isRoot()) {
            throw AtelierException.invalidParameter("A file path is required to upload a chunk");
        }
        Path file = existingSession(workspace, id).resolve(path.value());
        Object lock = locks.computeIfAbsent(file, key -> new Object());
        synchronized (lock) {
            Files.createDirectories(file.getParent());
            long size = Files.exists(file) ? Files.size(file) : 0;
            if (offset != size) {
                throw new AtelierException(ErrorCode.RESOURCE_CONFLICT, "Upload '" + id + "' holds " + size + " bytes of '"
                        + path + "'; send the chunk at offset " + size + ", not " + offset);
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND); OutputStream out = Channels.newOutputStream(channel)) {
                content.transferTo(out);
                channel.force(true);
                return channel.size();
            }
        }
    }

    /** The files received so far, with sizes, sorted by path. */
    List<FileInfo> files(String workspace, String id) throws IOException {
        Path session = existingSession(workspace, id);
        try (var files = Files.walk(session)) {
            return files.filter(Files::isRegularFile)
                    .map(file -> FileInfo.file(session.relativize(file).toString().replace('\\', '/'), size(file)))
                    .sorted(java.util.Comparator.comparing(FileInfo::path))
                    .toList();
        }
    }

    ArtifactContent open(String workspace, String id, ArtifactPath path) throws IOException {
        return new LocalArtifactRepository(root.resolve(workspace)).open(id, path);
    }

    void delete(String workspace, String id) throws IOException {
        Path session = existingSession(workspace, id);
        new LocalArtifactRepository(root.resolve(workspace)).deleteWorkspace(session.getFileName().toString());
    }

    void deleteWorkspace(String workspace) throws IOException {
        new LocalArtifactRepository(root).deleteWorkspace(workspace);
    }

    private Path existingSession(String workspace, String id) {
        Path session = session(workspace, id);
        if (!Files.isDirectory(session)) {
            throw AtelierException.notFound("Upload '" + id + "' does not exist in workspace '" + workspace + "'");
        }
        return session;
    }

    private Path session(String workspace, String id) {
        if (!ID.matcher(id).matches()) {
            throw AtelierException.invalidParameter("Invalid upload id '" + id + "'");
        }
        return root.resolve(workspace).resolve(id);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
