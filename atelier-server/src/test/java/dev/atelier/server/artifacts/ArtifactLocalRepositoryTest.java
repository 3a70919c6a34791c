package dev.atelier.server.artifacts;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link LocalArtifactRepository} on a real folder. */
class ArtifactLocalRepositoryTest {
    @TempDir
    Path temp;
    private Path root;
    private LocalArtifactRepository repository;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(temp.resolve("artifacts"));
        repository = new LocalArtifactRepository(root);
    }

    @Test
    void writeCreatesFoldersAndReadReturnsBytesAndSize() throws IOException {
        long written = repository.write("default", path("1/run/artifacts/model/MLmodel"), bytes("flavors: {}"));

        assertThat(written).isEqualTo(11);
        assertThat(root.resolve("default/1/run/artifacts/model/MLmodel")).hasContent("flavors: {}");
        try (ArtifactContent content = repository.open("default", path("1/run/artifacts/model/MLmodel"))) {
            assertThat(content.size()).isEqualTo(11);
            assertThat(new String(content.stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("flavors: {}");
        }
    }

    @Test
    void writeReplacesAnExistingFile() throws IOException {
        repository.write("default", path("a.txt"), bytes("old content"));
        repository.write("default", path("a.txt"), bytes("new"));

        assertThat(root.resolve("default/a.txt")).hasContent("new");
    }

    @Test
    void failedUploadLeavesNothingBehindAndKeepsTheOldFile() throws IOException {
        repository.write("default", path("run/model.pkl"), bytes("good"));
        InputStream breaksMidway = new SequenceInputStream(bytes("partial bytes"), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("client hung up");
            }
        });

        assertThatThrownBy(() -> repository.write("default", path("run/model.pkl"), breaksMidway)).hasMessage("client hung up");
        assertThatThrownBy(() -> repository.write("default", path("run/other.bin"), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("client hung up");
            }
        })).isInstanceOf(IOException.class);

        assertThat(root.resolve("default/run/model.pkl")).hasContent("good");
        try (Stream<Path> files = Files.list(root.resolve("default/run"))) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactly("model.pkl");
        }
    }

    @Test
    void writeRefusesTheRootAFolderAndAFileInTheWayOfAFolder() throws IOException {
        repository.write("default", path("dir/file.txt"), bytes("x"));

        assertInvalid(() -> repository.write("default", ArtifactPath.ROOT, bytes("x")), "An artifact path is required");
        assertInvalid(() -> repository.write("default", path("dir"), bytes("x")), "a folder with that name exists");
        assertInvalid(() -> repository.write("default", path("dir/file.txt/inner"), bytes("x")), "a file stands where a folder must go");
    }

    @Test
    void openOfMissingFileOrFolderIsNotFound() throws IOException {
        repository.write("default", path("dir/file.txt"), bytes("x"));

        for (String missing : new String[]{"dir/nope.txt", "dir", "nothing/here"}) {
            assertThatThrownBy(() -> repository.open("default", path(missing)))
                    .isInstanceOfSatisfying(AtelierException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST))
                    .hasMessageContaining(missing);
        }
    }

    @Test
    void listsOneLevelSortedWithSizesAndSkipsUploadsInProgress() throws IOException {
        repository.write("default", path("run/b.txt"), bytes("bbb"));
        repository.write("default", path("run/a/deep.txt"), bytes("d"));
        repository.write("default", path("run/empty.log"), bytes(""));
        Files.writeString(root.resolve("default/run/" + LocalArtifactRepository.UPLOAD_PREFIX + "123.part"), "half");

        assertThat(repository.list("default", path("run"))).containsExactly(
                FileInfo.folder("a"), FileInfo.file("b.txt", 3), FileInfo.file("empty.log", 0));
        assertThat(repository.list("default", ArtifactPath.ROOT)).containsExactly(FileInfo.folder("run"));
    }

    @Test
    void listOfFileOrMissingFolderOrUnknownWorkspaceIsEmpty() throws IOException {
        repository.write("default", path("run/b.txt"), bytes("bbb"));

        assertThat(repository.list("default", path("run/b.txt"))).isEmpty();
        assertThat(repository.list("default", path("missing"))).isEmpty();
        assertThat(repository.list("team-a", ArtifactPath.ROOT)).isEmpty();
    }

    @Test
    void deletePrefixRemovesTreeAndReturnsBytesFreed() throws IOException {
        repository.write("default", path("1/run-a/artifacts/model/model.pkl"), bytes("12345"));
        repository.write("default", path("1/run-a/artifacts/metrics.csv"), bytes("abc"));
        repository.write("default", path("1/run-b/artifacts/keep.txt"), bytes("keep"));

        assertThat(repository.size("default", path("1/run-a/artifacts"))).isEqualTo(8);
        assertThat(repository.deletePrefix("default", path("1/run-a/artifacts"))).isEqualTo(8);

        assertThat(root.resolve("default/1/run-a/artifacts")).doesNotExist();
        assertThat(root.resolve("default/1/run-b/artifacts/keep.txt")).exists();
        assertThat(repository.size("default", path("1/run-a/artifacts"))).isZero();
        assertThat(repository.deletePrefix("default", path("1/run-a/artifacts"))).isZero();
        assertThat(repository.size("default", ArtifactPath.ROOT)).isEqualTo(4);
    }

    @Test
    void deleteRemovesAFileOrAFolderAndIgnoresMissingPaths() throws IOException {
        repository.write("default", path("run/a.txt"), bytes("a"));
        repository.write("default", path("run/sub/b.txt"), bytes("b"));

        repository.delete("default", path("run/a.txt"));
        repository.delete("default", path("run/sub"));
        repository.delete("default", path("run/never"));

        assertThat(repository.list("default", path("run"))).isEmpty();
    }

    @Test
    void workspacesAreSeparateFoldersAndDeletingOneKeepsOthers() throws IOException {
        repository.write("default", path("x.txt"), bytes("default"));
        repository.write("team-a", path("x.txt"), bytes("team"));

        repository.deleteWorkspace("team-a");

        assertThat(root.resolve("team-a")).doesNotExist();
        assertThat(root.resolve("default/x.txt")).hasContent("default");
    }

    @Test
    void localFileIsTheStoredFileAndEmptyForAFolderOrNothing() throws IOException {
        repository.write("default", path("data/rows.csv"), bytes("a,b\n1,2\n"));

        assertThat(repository.localFile("default", path("data/rows.csv"))).hasValueSatisfying(file -> {
            assertThat(file).hasContent("a,b\n1,2\n");
            assertThat(file).startsWith(root);
        });
        assertThat(repository.localFile("default", path("data"))).isEmpty();
        assertThat(repository.localFile("default", path("data/missing.csv"))).isEmpty();
        assertThat(repository.localFile("other", path("data/rows.csv"))).isEmpty();
    }

    @Test
    void refusesReadingListingAndWritingThroughSymlinkThatLeavesTheRoot() throws IOException {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createDirectories(root.resolve("default/run"));
        Files.createSymbolicLink(root.resolve("default/run/escape"), outside);
        Files.createSymbolicLink(root.resolve("default/run/secret-link.txt"), outside.resolve("secret.txt"));

        assertInvalid(() -> repository.open("default", path("run/escape/secret.txt")), "symbolic link");
        assertInvalid(() -> repository.open("default", path("run/secret-link.txt")), "symbolic link");
        assertInvalid(() -> repository.localFile("default", path("run/escape/secret.txt")), "symbolic link");
        assertInvalid(() -> repository.list("default", path("run/escape")), "symbolic link");
        assertInvalid(() -> repository.write("default", path("run/escape/new.txt"), bytes("x")), "symbolic link");
        assertInvalid(() -> repository.write("default", path("run/escape/deeper/new.txt"), bytes("x")), "symbolic link");
        assertInvalid(() -> repository.deletePrefix("default", path("run/escape")), "symbolic link");
        assertInvalid(() -> repository.size("default", path("run/escape")), "symbolic link");

        assertThat(repository.list("default", path("run"))).isEmpty();
        assertThat(outside.resolve("new.txt")).doesNotExist();
        assertThat(outside.resolve("deeper")).doesNotExist();
        assertThat(outside.resolve("secret.txt")).hasContent("secret");
    }

    @Test
    void refusesDanglingSymlinkAndFollowsSymlinkThatStaysInside() throws IOException {
        repository.write("default", path("real/data.txt"), bytes("data"));
        Files.createSymbolicLink(root.resolve("default/alias"), root.resolve("default/real"));
        Files.createSymbolicLink(root.resolve("default/dangling"), temp.resolve("nowhere"));

        try (ArtifactContent content = repository.open("default", path("alias/data.txt"))) {
            assertThat(content.stream().readAllBytes()).isEqualTo("data".getBytes(StandardCharsets.UTF_8));
        }
        assertInvalid(() -> repository.write("default", path("dangling/x.txt"), bytes("x")), "symbolic link");
        assertThat(repository.list("default", ArtifactPath.ROOT)).containsExactly(FileInfo.folder("alias"), FileInfo.folder("real"));
    }

    @Test
    void acceptsWorkspaceFolderThatAnOperatorLinkedElsewhere() throws IOException {
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
        Files.createSymbolicLink(root.resolve("default"), elsewhere);

        repository.write("default", path("a.txt"), bytes("ok"));

        assertThat(elsewhere.resolve("a.txt")).hasContent("ok");
    }

    private static void assertInvalid(ThrowingCall call, String message) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(AtelierException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageContaining(message);
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    private static ArtifactPath path(String path) {
        return ArtifactPath.parse(path);
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A file replaced while it is opened: the size given is the size of the file whose bytes are read. */
    @Test
    void aFileOpenedWhileItIsReplacedHasTheSizeOfWhatIsRead() throws Exception {
        byte[] small = new byte[64 * 1024];
        byte[] large = new byte[512 * 1024];
        repository.write("default", path("1/run/artifacts/data.bin"), new ByteArrayInputStream(large));
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread replacer = Thread.ofPlatform().start(() -> {
            for (int i = 0; !done.get(); i++) {
                try {
                    repository.write("default", path("1/run/artifacts/data.bin"), new ByteArrayInputStream(i % 2 == 0 ? small : large));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        try {
            for (int i = 0; i < 2_000; i++) {
                try (ArtifactContent content = repository.open("default", path("1/run/artifacts/data.bin"))) {
                    assertThat(content.stream().readAllBytes()).as("read %d", i).hasSize((int) content.size());
                }
            }
        } finally {
            done.set(true);
            replacer.join();
        }
    }
}
