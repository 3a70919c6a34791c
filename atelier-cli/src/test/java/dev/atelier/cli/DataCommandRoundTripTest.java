package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code atelier data} and {@code atelier datastore} against a real server: create, show with profile, download, archive. */
class DataCommandRoundTripTest {
    @TempDir
    static Path dataDir;

    @TempDir
    static Path work;

    private static AtelierServer server;

    @BeforeAll
    static void start() {
        server = AtelierServer.start(ServerConfig.forTests(dataDir));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void createShowDownloadAndArchiveATable() throws Exception {
        Path csv = Files.writeString(work.resolve("iris.csv"), "length,species\n1.5,setosa\n2.5,virginica\n");
        Cli.Result created = Cli.runAgainst(server.url(), "data", "create", "--name", "iris", "--type", "table", "--path",
                csv.toString(), "--tag", "team=ml", "--no-progress");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("Created data asset 'iris' version 1 (data:iris:1).");
        assertThat(created.err()).contains("--resume-upload");

        Cli.Result shown = Cli.runAgainst(server.url(), "data", "show", "iris@latest", "-o", "json");
        assertThat(shown.exitCode()).as(shown.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(shown.out());
        assertThat(json.get("profile").get("row_count").asLong()).isEqualTo(2);
        assertThat(json.get("tags").get("team").asText()).isEqualTo("ml");
        assertThat(Cli.runAgainst(server.url(), "data", "show", "iris:1").out()).contains("species", "Rows:");

        Path target = work.resolve("download");
        Cli.Result downloaded = Cli.runAgainst(server.url(), "data", "download", "iris@latest", "--to", target.toString());
        assertThat(downloaded.exitCode()).as(downloaded.err()).isZero();
        assertThat(target.resolve("iris.csv")).hasSameTextualContentAs(csv);

        assertThat(Cli.runAgainst(server.url(), "data", "archive", "iris:1").out()).contains("Archived data:iris:1.");
        Cli.Result missing = Cli.runAgainst(server.url(), "data", "show", "iris@latest");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("data:iris@latest");
        assertThat(Cli.runAgainst(server.url(), "data", "list", "--include-archived").out()).contains("iris");
    }

    @Test
    void createResumesAnUploadFromWhereTheServerCopyEnds() throws Exception {
        Path file = Files.writeString(work.resolve("resume.txt"), "0123456789");
        String uploadId;
        try (dev.atelier.sdk.AtelierClient client = dev.atelier.sdk.AtelierClient.connect(server.url())) {
            uploadId = client.data().startUpload();
        }
        java.net.http.HttpResponse<String> partial = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(server.url() + "/api/v1/data-uploads/" + uploadId + "/files/resume.txt?offset=0"))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("0123")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(partial.statusCode()).isEqualTo(200);
        Cli.Result created = Cli.runAgainst(server.url(), "data", "create", "--name", "resumed", "--type", "uri_file", "--path",
                file.toString(), "--resume-upload", uploadId, "--no-progress", "-o", "json");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(new ObjectMapper().readTree(created.out()).get("size_bytes").asLong()).isEqualTo(10);
        Path target = work.resolve("resumed");
        Cli.runAgainst(server.url(), "data", "download", "resumed:1", "--to", target.toString());
        assertThat(target.resolve("resume.txt")).hasContent("0123456789");
    }

    @Test
    void createUploadsAFolderAndRegistersADatastorePath() throws Exception {
        Path folder = Files.createDirectories(work.resolve("images/sub"));
        Files.writeString(folder.resolve("a.txt"), "a");
        Files.writeString(work.resolve("images/b.txt"), "bb");
        Cli.Result created = Cli.runAgainst(server.url(), "data", "create", "--name", "images", "--type", "uri_folder", "--path",
                work.resolve("images").toString(), "--no-progress", "-o", "json");
        assertThat(created.exitCode()).as(created.err()).isZero();
        JsonNode version = new ObjectMapper().readTree(created.out());
        assertThat(version.get("file_count").asInt()).isEqualTo(2);

        Cli.Result again = Cli.runAgainst(server.url(), "data", "create", "--name", "images-copy", "--type", "uri_folder",
                "--path", version.get("uri").asText());
        assertThat(again.exitCode()).as(again.err()).isZero();

        Path root = Files.createDirectories(dataDir.resolve("datastores/shared"));
        Cli.Result store = Cli.runAgainst(server.url(), "datastore", "create", "--name", "shared", "--type", "local", "--root",
                root.toString());
        assertThat(store.exitCode()).as(store.err()).isZero();
        assertThat(Cli.runAgainst(server.url(), "datastore", "list").out()).contains("workspaceartifactstore", "shared");
        assertThat(Cli.runAgainst(server.url(), "datastore", "show", "shared").out()).contains(root.toString());
        assertThat(Cli.runAgainst(server.url(), "datastore", "delete", "shared").exitCode()).isZero();
        Cli.Result outside = Cli.runAgainst(server.url(), "datastore", "create", "--name", "etc", "--type", "local", "--root", "/etc");
        assertThat(outside.exitCode()).isNotZero();
        assertThat(outside.err()).contains("must be a folder inside");
    }
}
