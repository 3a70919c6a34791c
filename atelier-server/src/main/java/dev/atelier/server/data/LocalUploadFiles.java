package dev.atelier.server.data;

import dev.atelier.api.AtelierException;
import dev.atelier.server.artifacts.ArtifactContent;
import dev.atelier.server.artifacts.ArtifactPath;
import dev.atelier.server.artifacts.FileInfo;
import dev.atelier.server.artifacts.LocalArtifactRepository;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Upload sessions' files on this server's disk: the folder {@code <root>/<workspace>/<id>}, each chunk appended to its
 * file in place and forced to disk before it is acknowledged (through {@link UploadStaging.ChunkWriter}, the seam tests
 * fail a write through). The fast default for one server. Thread-safe.
 */
final class LocalUploadFiles implements UploadFiles {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LocalUploadFiles.class);

    private final Path root;
    private final UploadStaging.ChunkWriter writer;

    LocalUploadFiles(Path root, UploadStaging.ChunkWriter writer) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
        this.writer = requireNonNull(writer, "writer is null");
    }

    @Override
    public void create(String workspace, String id) throws IOException {
        Files.createDirectories(session(workspace, id));
    }

    @Override
    public boolean exists(String workspace, String id) {
        return Files.isDirectory(session(workspace, id));
    }

    @Override
    public long size(String workspace, String id, ArtifactPath path) throws IOException {
        Path file = file(workspace, id, path);
        return Files.exists(file) ? Files.size(file) : 0;
    }

    @Override
    public long append(String workspace, String id, ArtifactPath path, long offset, InputStream content, long maxBytes)
            throws IOException {
        Path file = file(workspace, id, path);
        Files.createDirectories(file.getParent());
        long newSize = writer.append(file, offset, content, maxBytes);
        if (newSize < 0 && offset == 0) {
            Files.deleteIfExists(file);
        }
        return newSize;
    }

    @Override
    public void cutBack(String workspace, String id, ArtifactPath path, long offset) {
        try (FileChannel channel = FileChannel.open(file(workspace, id, path), StandardOpenOption.WRITE)) {
            if (channel.size() > offset) {
                channel.truncate(offset);
            }
        } catch (NoSuchFileException e) {
            // Nothing was written.
        } catch (IOException e) {
            // The client asks the session's sizes and resends from what the server holds.
        }
    }

    @Override
    public List<FileInfo> files(String workspace, String id) throws IOException {
        Path session = session(workspace, id);
        try (var files = Files.walk(session)) {
            return files.filter(Files::isRegularFile)
                    .map(file -> FileInfo.file(session.relativize(file).toString().replace('\\', '/'), sizeOf(file)))
                    .sorted(Comparator.comparing(FileInfo::path))
                    .toList();
        }
    }

    @Override
    public ArtifactContent open(String workspace, String id, ArtifactPath path) throws IOException {
        return new LocalArtifactRepository(root.resolve(workspace)).open(id, path);
    }

    @Override
    public void delete(String workspace, String id) throws IOException {
        new LocalArtifactRepository(root.resolve(workspace)).deleteWorkspace(session(workspace, id).getFileName().toString());
    }

    @Override
    public void deleteWorkspace(String workspace) throws IOException {
        new LocalArtifactRepository(root).deleteWorkspace(workspace);
    }

    /** The folders on this server's disk whose session expired, or that have no row and were not changed since then. */
    @Override
    public void sweep(Optional<String> workspace, long expiredBefore, UploadSessionStore sessions) {
        for (Path folder : localSessions(workspace)) {
            String owner = folder.getParent().getFileName().toString();
            Optional<UploadSessionStore.Session> row = sessions.find(owner, folder.getFileName().toString());
            boolean orphan = row.isEmpty() && lastModified(folder) < expiredBefore;
            if (orphan || row.flatMap(UploadSessionStore.Session::expiredAt).isPresent()) {
                try {
                    new LocalArtifactRepository(folder.getParent()).deleteWorkspace(folder.getFileName().toString());
                } catch (IOException e) {
                    LOG.warn("removing expired upload {} failed: {}", folder, e.toString());
                }
            }
        }
    }

    private List<Path> localSessions(Optional<String> workspace) {
        List<Path> workspaces = workspace.map(name -> List.of(root.resolve(name))).orElseGet(() -> children(root));
        return workspaces.stream().flatMap(folder -> children(folder).stream())
                .filter(folder -> ID.matcher(folder.getFileName().toString()).matches())
                .toList();
    }

    private static List<Path> children(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long lastModified(Path path) {
        try {
            return Files.getLastModifiedTime(path).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    private Path session(String workspace, String id) {
        if (!ID.matcher(id).matches()) {
            throw AtelierException.invalidParameter("Invalid upload id '" + id + "'");
        }
        return root.resolve(workspace).resolve(id);
    }

    private Path file(String workspace, String id, ArtifactPath path) {
        return session(workspace, id).resolve(path.value());
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
