package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class WorkspaceCommandTest {
    @TempDir
    static Path dataDir;

    private static AtelierServer server;

    @BeforeAll
    static void start() {
        server = AtelierServer.start(ServerConfig.forTests(dataDir));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Cli.Result atelier(String... args) {
        return Cli.runAgainst(server.url(), args);
    }

    @Test
    void createPrintsTheNewWorkspace() {
        Cli.Result result = atelier("workspace", "create", "created", "--description", "made by a test");

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).contains("Name:         created", "Description:  made by a test");
    }

    @Test
    void listPrintsAlignedColumnsWithAHeader() {
        atelier("workspace", "create", "listed-with-a-long-name", "-d", "second");

        Cli.Result result = atelier("workspace", "list");

        assertThat(result.exitCode()).isZero();
        String[] lines = result.out().split("\n");
        assertThat(lines[0]).startsWith("NAME").contains("DESCRIPTION", "CREATED", "TAGS");
        assertThat(result.out()).contains("default", "listed-with-a-long-name");
        int descriptionColumn = lines[0].indexOf("DESCRIPTION");
        for (String line : lines) {
            if (line.startsWith("default") || line.startsWith("listed-with-a-long-name")) {
                assertThat(line.charAt(descriptionColumn - 1)).isEqualTo(' ');
                assertThat(line.charAt(descriptionColumn)).isNotEqualTo(' ');
            }
        }
    }

    @Test
    void listAsJsonPrintsTheServerObjects() throws IOException {
        atelier("workspace", "create", "as-json");

        Cli.Result result = atelier("workspace", "list", "--output", "json");

        assertThat(result.exitCode()).isZero();
        JsonNode workspaces = new ObjectMapper().readTree(result.out());
        assertThat(workspaces.isArray()).isTrue();
        assertThat(workspaces.findValuesAsText("name")).contains("default", "as-json");
        assertThat(workspaces.get(0).has("creation_time")).isTrue();
    }

    @Test
    void showPrintsOneWorkspace() {
        Cli.Result result = atelier("workspace", "show", "default");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Name:", "default", "The default workspace");
    }

    @Test
    void deleteRemovesTheWorkspace() {
        atelier("workspace", "create", "doomed");

        Cli.Result deleted = atelier("workspace", "delete", "doomed", "--force");

        assertThat(deleted.exitCode()).isZero();
        assertThat(deleted.out()).contains("Deleted workspace 'doomed'");
        assertThat(atelier("workspace", "show", "doomed").exitCode()).isEqualTo(ExitCodes.SERVER_REFUSED);
    }

    @Test
    void unknownWorkspaceExitsOneWithTheServersMessage() {
        Cli.Result result = atelier("workspace", "show", "no-such-workspace");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("atelier: not found: Workspace 'no-such-workspace' does not exist" + System.lineSeparator());
    }

    @Test
    void duplicateWorkspaceExitsOne() {
        atelier("workspace", "create", "twice");

        Cli.Result result = atelier("workspace", "create", "twice");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("atelier: already exists: ").contains("twice");
    }

    @Test
    void unreachableServerExitsThreeWithOneLine() throws IOException {
        String url = "http://127.0.0.1:" + freePort();

        Cli.Result result = Cli.run("workspace", "list", "--url", url);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).startsWith("atelier: The Atelier server at " + url + " is not reachable: connection refused");
        assertThat(result.err().lines()).hasSize(1);
    }

    @Test
    void unknownOptionIsAUsageErrorExitingTwo() {
        Cli.Result result = atelier("workspace", "list", "--colour");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Unknown option: '--colour'");
    }

    @Test
    void unknownOutputFormatIsAUsageError() {
        Cli.Result result = atelier("workspace", "list", "--output", "xml");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("expected 'table', 'json' or 'yaml', got 'xml'");
    }

    @Test
    void malformedUrlIsAUsageError() {
        Cli.Result result = Cli.run("workspace", "list", "--url", "localhost:5000");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Invalid value for option '--url'");
    }

    @Test
    void missingSubcommandIsAUsageError() {
        assertThat(Cli.run("workspace").exitCode()).isEqualTo(2);
    }

    @Test
    void helpListsTheExitCodes() {
        Cli.Result result = Cli.run("workspace", "list", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Exit codes:", "the server is not reachable at --url");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
