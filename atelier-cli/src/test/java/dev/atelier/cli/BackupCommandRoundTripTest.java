package dev.atelier.cli;

import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code atelier backup} against a running server, then {@code atelier restore} into a new data directory (docs/cli.md). */
class BackupCommandRoundTripTest {
    @TempDir
    Path temp;

    @Test
    void backupLeavesTheMasterKeyOutAndRestoreSaysHowToBringIt() throws Exception {
        Path original = temp.resolve("original");
        Path backup = temp.resolve("backup");
        try (AtelierServer server = AtelierServer.start(ServerConfig.forTests(original))) {
            assertThat(send(server.url(), "POST", "/api/v1/secrets", "{\"name\":\"token\",\"value\":\"v4lue\"}").statusCode())
                    .isEqualTo(201);
            Cli.Result result = Cli.runAgainst(server.url(), "backup", "--to", backup.toString());
            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).contains("Backed up to " + backup, "sqlite", "NOT included");
            Cli.Result relative = Cli.runAgainst(server.url(), "backup", "--to", "relative");
            assertThat(relative.exitCode()).isNotZero();
            assertThat(relative.err()).contains("to: give an absolute folder");
        }
        assertThat(backup.resolve("manifest.json")).exists();
        assertThat(backup.resolve("master.key")).doesNotExist();

        Path restored = temp.resolve("restored");
        Cli.Result restore = Cli.run("restore", "--from", backup.toString(), "--data-dir", restored.toString());
        assertThat(restore.exitCode()).as(restore.err()).isZero();
        assertThat(restore.out()).contains("Restored the database", "holds no master key");
        Cli.Result again = Cli.run("restore", "--from", backup.toString(), "--data-dir", restored.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("not empty");
        assertThat(Cli.run("restore", "--from", temp.toString(), "--data-dir", temp.resolve("other").toString()).err())
                .contains("not a complete backup");

        Files.copy(original.resolve("master.key"), restored.resolve("master.key"));
        try (AtelierServer server = AtelierServer.start(ServerConfig.forTests(restored))) {
            HttpResponse<String> value = send(server.url(), "GET", "/api/v1/secrets/token/value", null);
            assertThat(value.body()).contains("v4lue");
        }
    }

    private static HttpResponse<String> send(String url, String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type", "application/json");
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
