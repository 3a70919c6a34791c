package dev.atelier.server.data;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.artifacts.ArtifactContent;
import dev.atelier.server.artifacts.ArtifactPath;
import dev.atelier.server.artifacts.ArtifactRepository;
import dev.atelier.server.artifacts.FileInfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A datastore kept by an {@link ArtifactRepository} under one top-level key: the workspace's
 * default datastore (key {@code <workspace>.data} on the server's artifact storage, a name no
 * workspace can have, so MLflow's artifact proxy cannot reach it) and local folders (a
 * {@link dev.atelier.server.artifacts.LocalArtifactRepository} over the folder's parent, whose
 * link checks then confine every path to the folder). Thread-safe.
 */
final class RepositoryFiles implements DatastoreFiles {
    private final ArtifactRepository repository;
    private final String key;

    RepositoryFiles(ArtifactRepository repository, String key) {
        this.repository = requireNonNull(repository, "repository is null");
        this.key = requireNonNull(key, "key is null");
    }

    @Override
    public ArtifactContent open(ArtifactPath path) throws IOException {
        return repository.open(key, path);
    }

    @Override
    public long write(ArtifactPath path, InputStream content) throws IOException {
        return repository.write(key, path, content);
    }

    @Override
    public List<FileInfo> listFiles(ArtifactPath path) throws IOException {
        List<FileInfo> files = new ArrayList<>();
        List<FileInfo> level = repository.list(key, path);
        if (level.isEmpty() && !path.isRoot()) {
            try (ArtifactContent content = repository.open(key, path)) {
                return List.of(FileInfo.file(path.value(), content.size()));
            } catch (AtelierException e) {
                if (e.errorCode() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                    return List.of();
                }
                throw e;
            }
        }
        walk(path, level, files);
        files.sort(Comparator.comparing(FileInfo::path));
        return List.copyOf(files);
    }

    private void walk(ArtifactPath folder, List<FileInfo> level, List<FileInfo> files) throws IOException {
        for (FileInfo entry : level) {
            ArtifactPath child = folder.resolve(ArtifactPath.parse(entry.path()));
            if (entry.isDir()) {
                walk(child, repository.list(key, child), files);
            } else {
                files.add(FileInfo.file(child.value(), entry.fileSize()));
            }
        }
    }

    @Override
    public Optional<Path> localFile(ArtifactPath path) throws IOException {
        return repository.localFile(key, path);
    }

    @Override
    public void delete(ArtifactPath path) throws IOException {
        repository.deletePrefix(key, path);
    }

    @Override
    public void close() {
        // The repository is shared (or holds no resources).
    }
}
