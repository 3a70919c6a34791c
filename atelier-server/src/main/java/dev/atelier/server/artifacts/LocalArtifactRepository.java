package dev.atelier.server.artifacts;

import dev.atelier.api.AtelierException;
import dev.atelier.server.store.DurableFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * Artifacts in a local folder: workspace {@code w}'s path {@code a/b} is the file
 * {@code <root>/w/a/b}. Uploads go to a hidden temporary file in the target folder, are flushed to
 * disk and then renamed over the target, so a reader never sees half a file and a failed upload
 * leaves none. Symbolic links are followed only while they stay inside the workspace's folder; a
 * path that leads outside through one is refused. Thread-safe: it keeps no state but the root.
 */
public final class LocalArtifactRepository implements ArtifactRepository {
    /** Names of uploads in progress; listings skip them. */
    static final String UPLOAD_PREFIX = ".atelier-upload-";

    private final Path root;

    public LocalArtifactRepository(Path root) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
    }

    @Override
    public ArtifactContent open(String workspace, ArtifactPath path) throws IOException {
        Path file = confined(workspace, path);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw notFound(path);
        }
        if (!attributes.isRegularFile()) {
            throw notFound(path);
        }
        // the size of the file opened, not of the path: a concurrent replace must not send another file's length
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new ArtifactContent(Channels.newInputStream(channel), channel.size());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public long write(String workspace, ArtifactPath path, InputStream content) throws IOException {
        requireNonNull(content, "content is null");
        if (path.isRoot()) {
            throw AtelierException.invalidParameter("An artifact path is required to upload a file");
        }
        Path target = confined(workspace, path);
        if (Files.isDirectory(target)) {
            throw AtelierException.invalidParameter("Cannot upload to '" + path + "': a folder with that name exists");
        }
        Path folder = target.getParent();
        try {
            Files.createDirectories(folder);
        } catch (FileAlreadyExistsException | NotDirectoryException e) {
            throw AtelierException.invalidParameter("Cannot upload to '" + path + "': a file stands where a folder must go");
        }
        Path temporary = Files.createTempFile(folder, UPLOAD_PREFIX, ".part");
        boolean moved = false;
        try {
            long written;
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(channel)) {
                written = StreamCopy.copy(content, out);
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            DurableFiles.syncFolder(folder);
            return written;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    @Override
    public List<FileInfo> list(String workspace, ArtifactPath folder) throws IOException {
        Path directory = confined(workspace, folder);
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        Path workspaceRoot = realWorkspaceRoot(workspace);
        List<FileInfo> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(UPLOAD_PREFIX) || !staysInside(entry, workspaceRoot)) {
                    continue;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(entry, BasicFileAttributes.class);
                } catch (NoSuchFileException e) {
                    continue;
                }
                files.add(attributes.isDirectory() ? FileInfo.folder(name) : FileInfo.file(name, attributes.size()));
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        files.sort(Comparator.comparing(FileInfo::path));
        return List.copyOf(files);
    }

    @Override
    public void delete(String workspace, ArtifactPath path) throws IOException {
        deletePrefix(workspace, path);
    }

    @Override
    public long deletePrefix(String workspace, ArtifactPath prefix) throws IOException {
        return deleteTree(confined(workspace, prefix));
    }

    @Override
    public long size(String workspace, ArtifactPath prefix) throws IOException {
        Path start = confined(workspace, prefix);
        if (!Files.exists(start, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        AtomicLong total = new AtomicLong();
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile()) {
                    total.addAndGet(attributes.size());
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return total.get();
    }

    @Override
    public Optional<ArtifactPath> locate(String workspace, Path absolute) {
        Path folder = workspaceRoot(workspace);
        Path normalized = absolute.toAbsolutePath().normalize();
        if (!normalized.startsWith(folder)) {
            return Optional.empty();
        }
        return Optional.of(ArtifactPath.parse(folder.relativize(normalized).toString().replace(folder.getFileSystem().getSeparator(), "/")));
    }

    @Override
    public Optional<Path> localFile(String workspace, ArtifactPath path) throws IOException {
        Path file = confined(workspace, path);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    @Override
    public void deleteWorkspace(String workspace) throws IOException {
        deleteTree(workspaceRoot(workspace));
    }

    /** Deletes a file or a tree without following links and returns the bytes of the files removed. */
    private static long deleteTree(Path start) throws IOException {
        if (!Files.exists(start, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        AtomicLong freed = new AtomicLong();
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (Files.deleteIfExists(file) && attributes.isRegularFile()) {
                    freed.addAndGet(attributes.size());
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(directory);
                return FileVisitResult.CONTINUE;
            }
        });
        return freed.get();
    }

    private Path workspaceRoot(String workspace) {
        requireNonNull(workspace, "workspace is null");
        Path folder = root.resolve(workspace).normalize();
        if (workspace.isEmpty() || !folder.getParent().equals(root)) {
            throw new IllegalArgumentException("not a workspace name: " + workspace);
        }
        return folder;
    }

    /** The workspace folder with links resolved, or the lexical one while it does not exist yet. */
    private Path realWorkspaceRoot(String workspace) throws IOException {
        Path folder = workspaceRoot(workspace);
        return Files.exists(folder) ? folder.toRealPath() : folder;
    }

    /**
     * The file for {@code path}, refused when the nearest part of it that exists leads outside
     * the workspace folder through a symbolic link. {@code path} is lexically safe already.
     */
    private Path confined(String workspace, ArtifactPath path) throws IOException {
        requireNonNull(path, "path is null");
        Path folder = workspaceRoot(workspace);
        Path target = path.isRoot() ? folder : folder.resolve(path.value());
        if (!Files.exists(folder)) {
            return target;
        }
        Path existing = target;
        while (!existing.equals(folder) && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (!staysInside(existing, folder.toRealPath())) {
            throw AtelierException.invalidParameter("Invalid path '" + path + "': it leads outside the artifact root "
                    + "through a symbolic link");
        }
        return target;
    }

    /** Whether {@code path}, with every link followed, is inside {@code realRoot}; a dangling link is not. */
    private static boolean staysInside(Path path, Path realRoot) throws IOException {
        try {
            return path.toRealPath().startsWith(realRoot);
        } catch (NoSuchFileException e) {
            return !Files.isSymbolicLink(path) && !Files.exists(path, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private static AtelierException notFound(ArtifactPath path) {
        return AtelierException.notFound("No artifact file at '" + path + "'");
    }
}
