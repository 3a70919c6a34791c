package dev.atelier.sdk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What goes into a code snapshot: .git and ignore patterns skipped, links out of the folder refused, the size limit. */
class CodeFolderTest {
    @TempDir
    Path dir;

    @Test
    void skipsGitAndAmlignorePatternsAndHashesTheRest() throws IOException {
        write("train.py", "print(1)");
        write("src/model.py", "x");
        write("src/__pycache__/model.pyc", "bytes");
        write("data/big.csv", "1,2");
        write("data/keep.csv", "3,4");
        write("logs/run.log", "log");
        write(".git/HEAD", "ref");
        write(".gitignore", "*.py\n");
        write(".amlignore", "# Azure ML's file wins over .gitignore\n__pycache__/\ndata/*.csv\n!data/keep.csv\n/logs\n");
        List<CodeFolder.LocalFile> files = CodeFolder.scan(dir, 1 << 20);
        assertThat(files).extracting(CodeFolder.LocalFile::path)
                .containsExactly(".amlignore", ".gitignore", "data/keep.csv", "src/model.py", "train.py");
        assertThat(files.getLast().sha256()).hasSize(64);
        assertThat(files.getLast().size()).isEqualTo(8);
    }

    @Test
    void gitignoreAppliesWhenThereIsNoAmlignore() throws IOException {
        write("a.py", "1");
        write("notes.tmp", "2");
        write("deep/x/y.tmp", "3");
        write(".gitignore", "*.tmp\n");
        assertThat(CodeFolder.scan(dir, 1 << 20)).extracting(CodeFolder.LocalFile::path).containsExactly(".gitignore", "a.py");
    }

    @Test
    void doubleStarCrossesFolders() {
        IgnoreRules rules = IgnoreRules.parse(List.of("**/checkpoints/**", "build/"));
        assertThat(rules.ignored("a/b/checkpoints/c.pt", false)).isTrue();
        assertThat(rules.ignored("checkpoints/c.pt", false)).isTrue();
        assertThat(rules.ignored("build", true)).isTrue();
        assertThat(rules.ignored("build", false)).isFalse();
        assertThat(rules.ignored("src/build.py", false)).isFalse();
    }

    @Test
    void linkLeadingOutsideTheFolderIsRefused(@TempDir Path outside) throws IOException {
        Files.writeString(outside.resolve("secret.txt"), "s");
        write("train.py", "1");
        Files.createSymbolicLink(dir.resolve("escape.txt"), outside.resolve("secret.txt"));
        assertThatThrownBy(() -> CodeFolder.scan(dir, 1 << 20)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("escape.txt").hasMessageContaining("outside the code folder");
    }

    @Test
    void folderOverTheLimitIsRefusedWhileScanning() throws IOException {
        write("a.bin", "x".repeat(600));
        write("b.bin", "x".repeat(600));
        assertThatThrownBy(() -> CodeFolder.scan(dir, 1000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("snapshot limit of 1000 bytes");
    }

    private void write(String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
