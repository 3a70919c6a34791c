package dev.atelier.server.snapshots;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.artifacts.ArtifactContent;
import dev.atelier.server.artifacts.ArtifactPath;
import dev.atelier.server.artifacts.ArtifactRepository;
import dev.atelier.server.uploads.InsufficientStorage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Snapshot blobs in the artifact store every server reaches (S3, or one folder every server mounts), used when servers
 * share a PostgreSQL database: blob {@code h} of workspace {@code w} is the object {@code <w>/<h[0..2]>/<h>-<random>} in
 * the store's {@value #AREA} area (a name no workspace can have). Each upload writes a key of its own and the blob's row
 * names the key that counts ({@code snapshot_blobs.shared_key}, set once), so the sweep, deleting the key of the row it
 * removed, never deletes a blob uploaded again meanwhile. The store's writes are atomic: a key present has its whole
 * content. The local {@link BlobStore} is this server's cache of it, filled on a read. Thread-safe.
 */
final class SharedBlobs {
    static final String AREA = ".snapshots";

    private final ArtifactRepository repository;
    private final SnapshotStore store;
    private final BlobStore cache;
    private final Clock clock;

    SharedBlobs(ArtifactRepository repository, SnapshotStore store, BlobStore cache, Clock clock) {
        this.repository = requireNonNull(repository, "repository is null");
        this.store = requireNonNull(store, "store is null");
        this.cache = requireNonNull(cache, "cache is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Writes a blob installed in the local cache to the shared store unless its row names a key already, and records its
     * key; a key that lost the race to another upload of the same content is deleted again. 507 when the store is full.
     */
    void share(String workspace, BlobStore.Staged blob) {
        if (store.sharedKey(workspace, blob.sha256()).isPresent()) {
            return;
        }
        String key = workspace + "/" + blob.sha256().substring(0, 2) + "/" + blob.sha256() + "-"
                + UUID.randomUUID().toString().replace("-", "");
        try (InputStream in = Files.newInputStream(blob.target())) {
            repository.write(AREA, ArtifactPath.parse(key), in);
        } catch (IOException e) {
            throw InsufficientStorage.of(e, "snapshot blob " + blob.sha256());
        }
        if (!store.recordShared(workspace, blob.sha256(), blob.sizeBytes(), key, clock.millis())) {
            try {
                delete(key);
            } catch (IOException e) {
                throw new UncheckedIOException("deleting a duplicate snapshot blob failed: " + e.getMessage(), e);
            }
        }
    }

    /** Copies a blob into the local cache (verifying its hash) unless it is there. */
    void cache(String workspace, String sha256) throws IOException {
        if (cache.exists(workspace, sha256)) {
            return;
        }
        String key = store.sharedKey(workspace, sha256).orElseThrow(() -> new NoSuchFileException("snapshot blob " + sha256
                + " of workspace " + workspace + " is in no store"));
        try (ArtifactContent content = repository.open(AREA, ArtifactPath.parse(key))) {
            BlobStore.Staged staged = cache.stage(workspace, sha256, content.stream(), Long.MAX_VALUE,
                    () -> new AtelierException(ErrorCode.INTERNAL_ERROR, "a blob without a size limit is over it"));
            try {
                cache.install(staged);
            } finally {
                cache.discard(staged);
            }
        }
    }

    /** Deletes one key; nothing happens when it is gone. */
    void delete(String key) throws IOException {
        repository.delete(AREA, ArtifactPath.parse(key));
    }

    void deleteWorkspace(String workspace) throws IOException {
        repository.deletePrefix(AREA, ArtifactPath.parse(workspace));
    }
}
