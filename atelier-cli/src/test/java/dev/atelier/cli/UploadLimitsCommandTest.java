package dev.atelier.cli;

import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.uploads.UploadLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Upload limits as the CLI shows them: a data upload or a code folder over the workspace's quota, and gc's sweep. */
class UploadLimitsCommandTest {
    @TempDir
    static Path dataDir;

    private static AtelierServer server;

    @BeforeAll
    static void start() {
        server = AtelierServer.start(ServerConfig.forTests(dataDir).withUploads(new UploadLimits(Duration.ofHours(24), 100)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void dataUploadOverTheQuotaStopsBeforeAnyByteWithOneClearLine(@TempDir Path work) throws IOException {
        Path big = Files.writeString(work.resolve("big.csv"), "a\n" + "1\n".repeat(100));
        Cli.Result created = Cli.runAgainst(server.url(), "data", "create", "--name", "big", "--type", "uri_file", "--path",
                big.toString(), "--no-progress");
        assertThat(created.exitCode()).isEqualTo(ExitCodes.SERVER_REFUSED);
        assertThat(created.err()).contains("atelier: upload quota exceeded: Upload quota exceeded in workspace 'default'")
                .contains("needs 202 more").contains("limit is 100 bytes").contains("--workspace-upload-quota")
                .doesNotContain("Exception");
        assertThat(dataDir.resolve("uploads/default")).satisfiesAnyOf(
                folder -> assertThat(folder).doesNotExist(), folder -> assertThat(folder).isEmptyDirectory());
    }

    @Test
    void codeFolderOverTheQuotaIsRefusedBeforeUploadingAndGcReportsTheSweep(@TempDir Path work) throws IOException {
        Path src = Files.createDirectories(work.resolve("src"));
        Files.writeString(src.resolve("train.py"), "#".repeat(500));
        Path yaml = Files.writeString(work.resolve("job.yml"), """
                type: command
                code: ./src
                command: python train.py
                """);
        Cli.Result created = Cli.runAgainst(server.url(), "job", "create", "-f", yaml.toString());
        assertThat(created.exitCode()).isEqualTo(ExitCodes.SERVER_REFUSED);
        assertThat(created.err()).startsWith("atelier: upload quota exceeded: ").contains("needs 500 more");

        Cli.Result gc = Cli.runAgainst(server.url(), "gc");
        assertThat(gc.exitCode()).as(gc.err()).isZero();
        assertThat(gc.out()).contains("Expired uploads:").contains("Expired snapshot blobs:");
    }
}
