package dev.atelier.server.data;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.artifacts.ArtifactPath;
import dev.atelier.server.testing.TestServer;
import dev.atelier.server.uploads.InsufficientStorage;
import dev.atelier.server.uploads.UploadQuota;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A full disk while a chunk is written answers 507 {@code INSUFFICIENT_STORAGE} with a message to act
 * on, not a 500; other I/O failures stay internal errors. The disk is "full" through the staging's
 * {@link UploadStaging.ChunkWriter} seam, over a real database.
 */
class UploadStagingStorageTest {
    private static TestServer server;

    @TempDir
    Path root;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private UploadStaging staging(UploadStaging.ChunkWriter writer) {
        return new UploadStaging(root, new UploadSessionStore(server.server().database()), UploadQuota.unlimited(),
                Clock.systemUTC(), writer);
    }

    @Test
    void noSpaceLeftOnDeviceWhileWritingAChunkAnswers507() {
        UploadStaging full = staging((file, offset, content, maxBytes) -> {
            Files.writeString(file, "partial");
            throw new IOException("No space left on device");
        });
        String id = full.create("default", Optional.empty());
        assertThatThrownBy(() -> full.append("default", id, ArtifactPath.parse("a.csv"), 0, new ByteArrayInputStream(new byte[10]), 10))
                .isInstanceOfSatisfying(AtelierException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INSUFFICIENT_STORAGE);
                    assertThat(e.httpStatus()).isEqualTo(507);
                    assertThat(e.getMessage()).contains("disk is full").contains("a.csv").contains(id);
                });
        // What the failed chunk wrote is cut back: the session holds what was acknowledged.
        assertThat(root.resolve("default/" + id + "/a.csv")).isEmptyFile();
    }

    @Test
    void fileSystemExceptionForAFullQuotaAnswers507AndOtherFailuresStay500() {
        UploadStaging quotaFull = staging((file, offset, content, maxBytes) -> {
            throw new FileSystemException(file.toString(), null, "Disk quota exceeded");
        });
        String id = quotaFull.create("default", Optional.empty());
        assertThatThrownBy(() -> quotaFull.append("default", id, ArtifactPath.parse("b.bin"), 0, new ByteArrayInputStream(new byte[1]), 1))
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.httpStatus()).isEqualTo(507));

        UploadStaging broken = staging((file, offset, content, maxBytes) -> {
            throw new IOException("Input/output error");
        });
        String other = broken.create("default", Optional.empty());
        assertThatThrownBy(() -> broken.append("default", other, ArtifactPath.parse("c.bin"), 0, new ByteArrayInputStream(new byte[1]), 1))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(InsufficientStorage.isDiskFull(new UncheckedIOException(new IOException("No space left on device")))).isTrue();
        assertThat(InsufficientStorage.isDiskFull(new IOException("Connection reset"))).isFalse();
    }

    /** A session deleted while a chunk is written: the append is refused and leaves no folder behind it. */
    @Test
    void aSessionDeletedDuringAnAppendKeepsNoFilesOfIt() {
        UploadStaging[] staging = new UploadStaging[1];
        String[] id = new String[1];
        staging[0] = staging((file, offset, content, maxBytes) -> {
            staging[0].delete("default", id[0]); // another request deletes the session meanwhile
            return UploadStaging.DISK.append(file, offset, content, maxBytes);
        });
        id[0] = staging[0].create("default", Optional.empty());
        assertThatThrownBy(() -> staging[0].append("default", id[0], ArtifactPath.parse("sub/c.csv"), 0,
                new ByteArrayInputStream(new byte[10]), 10))
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
        assertThat(root.resolve("default/" + id[0])).doesNotExist();
        assertThat(staging[0].filesBeingAppended()).isZero();
    }

    /** The per-file locks of appends live only while appends are in flight. */
    @Test
    void appendsLeaveNoLocksBehind() throws Exception {
        UploadStaging staging = staging(UploadStaging.DISK);
        String id = staging.create("default", Optional.empty());
        for (int i = 0; i < 50; i++) {
            staging.append("default", id, ArtifactPath.parse("f" + i + ".bin"), 0, new ByteArrayInputStream(new byte[5]), 5);
        }
        assertThatThrownBy(() -> staging.append("default", id, ArtifactPath.parse("f0.bin"), 0, new ByteArrayInputStream(new byte[5]), 5))
                .isInstanceOf(AtelierException.class);
        assertThat(staging.filesBeingAppended()).isZero();
    }
}
