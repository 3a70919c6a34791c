package dev.atelier.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ServerCommandTest {
    @TempDir
    Path dataDir;

    @Test
    void portInUseExitsOneWithOneClearLine() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            Cli.Result result = Cli.run("server", "--port", Integer.toString(port), "--data-dir", dataDir.toString());

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.out()).isEmpty();
            assertThat(result.err()).isEqualTo("atelier: cannot start the server: port " + port + " on 127.0.0.1 is already in use; "
                    + "stop the other process or choose another port with --port" + System.lineSeparator());
        }
    }

    @Test
    void unsupportedDatabaseUrlExitsFourNamingTheUrl() {
        Cli.Result result = Cli.run("server", "--port", "0", "--data-dir", dataDir.toString(), "--database-url", "jdbc:mysql://db/atelier");

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).startsWith("atelier: cannot start the server: ").contains("jdbc:mysql://db/atelier");
        assertThat(result.err().lines()).hasSize(1);
    }

    @Test
    void aWorkDirInsideTheDataDirectoryExitsFourNamingIt() {
        Cli.Result result = Cli.run("server", "--port", "0", "--data-dir", dataDir.toString(), "--work-dir", dataDir.resolve("work").toString());

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).startsWith("atelier: cannot start the server: ").contains("inside the data directory", "--work-dir");
    }

    @Test
    void anUnknownLocalComputePropertyIsAUsageError() {
        Cli.Result result = Cli.run("server", "--port", "0", "--data-dir", dataDir.toString(), "--local-compute", "max_gpus=2");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--local-compute", "max_gpus");
    }

    @Test
    void anUnknownScheduleCatchUpIsAUsageError() {
        Cli.Result result = Cli.run("server", "--port", "0", "--data-dir", dataDir.toString(), "--schedule-catch-up", "all");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--schedule-catch-up", "last or none");
    }

    @Test
    void portOutOfRangeIsAUsageError() {
        Cli.Result result = Cli.run("server", "--port", "70000", "--data-dir", dataDir.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--port");
    }

    @Test
    void artifactsUriThatIsNotAnS3UriIsAUsageError() {
        Cli.Result result = Cli.run("server", "--port", "0", "--data-dir", dataDir.toString(), "--artifacts-uri", "gs://bucket/x");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--artifacts-uri").contains("not an s3:// URI");
    }

    @Test
    void authFlagTurnsAuthenticationOnAndSaysSoAtStartup() throws Exception {
        try (ServerProcess server = ServerProcess.start(dataDir.resolve("with-auth"), dataDir.resolve("with-auth.log"), "--auth")) {
            assertThat(server.startupLines()).contains("  authentication: on");
        }
    }

    @Test
    void withoutTheAuthFlagStartupSaysAuthenticationIsOff() throws Exception {
        try (ServerProcess server = ServerProcess.start(dataDir.resolve("without-auth"), dataDir.resolve("without-auth.log"))) {
            List<String> lines = server.startupLines();
            assertThat(lines).contains("  authentication: off");
            assertThat(lines.get(lines.size() - 1)).isEqualTo("Press Ctrl-C to stop.");
        }
    }

    @Test
    void badAbuseLimitFlagsAreUsageErrorsNamingTheFlag() {
        Cli.Result proxies = Cli.run("server", "--port", "0", "--data-dir", dataDir.toString(), "--trusted-proxies", "proxy.example");
        assertThat(proxies.exitCode()).isEqualTo(2);
        assertThat(proxies.err()).contains("--trusted-proxies", "proxy.example");

        Cli.Result retention = Cli.run("server", "--port", "0", "--data-dir", dataDir.toString(), "--audit-retention", "0s");
        assertThat(retention.exitCode()).isEqualTo(2);
        assertThat(retention.err()).contains("--audit-retention", "forever");

        Cli.Result token = Cli.run("server", "--port", "0", "--data-dir", dataDir.toString(), "--metrics-token", "short");
        assertThat(token.exitCode()).isEqualTo(2);
        assertThat(token.err()).contains("--metrics-token");
    }

    @Test
    void badLogFormatAndRetentionWindowsAreUsageErrorsNamingTheFlag() {
        Cli.Result format = Cli.run("server", "--port", "0", "--data-dir", dataDir.toString(), "--log-format", "xml");
        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.err()).contains("--log-format", "text or json");

        Cli.Result window = Cli.run("server", "--port", "0", "--data-dir", dataDir.toString(), "--retention-job-files", "0d");
        assertThat(window.exitCode()).isEqualTo(2);
        assertThat(window.err()).contains("--retention-job-files", "forever");

        Cli.Result garbled = Cli.run("server", "--port", "0", "--data-dir", dataDir.toString(), "--retention-request-logs", "soon");
        assertThat(garbled.exitCode()).isEqualTo(2);
        assertThat(garbled.err()).contains("--retention-request-logs");
    }

    @Test
    void helpDescribesTheAuthFlag() {
        Cli.Result result = Cli.run("server", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("--auth", "ATELIER_ADMIN_PASSWORD");
    }

    @Test
    void aMalformedCorsOriginOrAnUnresolvableHostStopsTheStartNamingTheFlag() {
        Cli.Result origin = Cli.run("server", "--port", "0", "--data-dir", dataDir.toString(), "--cors-allowed-origins", "app.example/x");
        assertThat(origin.exitCode()).isEqualTo(4);
        assertThat(origin.err()).contains("--cors-allowed-origins", "app.example/x");

        Cli.Result host = Cli.run("server", "--port", "0", "--data-dir", dataDir.toString(), "--host", "127.corp.example.invalid");
        assertThat(host.exitCode()).isEqualTo(4);
        assertThat(host.err()).contains("--host 127.corp.example.invalid");
    }

    @Test
    void helpDescribesTheBrowserOriginFlags() {
        Cli.Result result = Cli.run("server", "--help");

        assertThat(result.out()).contains("--allowed-hosts", "--cors-allowed-origins", "unsafe");
    }
}
