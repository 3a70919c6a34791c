package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.testing.HttpJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The models commands against a real server: register, list, show, versions, alias, download, and their errors. */
class ModelsCommandTest {
    private static final String MLMODEL = """
            artifact_path: model
            flavors:
              onnx:
                data: model.onnx
                onnx_version: 1.16.0
            """;

    @TempDir
    static Path dataDir;

    private static AtelierServer server;
    private static HttpJson http;

    @BeforeAll
    static void start() {
        server = AtelierServer.start(ServerConfig.forTests(dataDir));
        http = new HttpJson(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Cli.Result atelier(String... args) {
        return Cli.runAgainst(server.url(), args);
    }

    /** Logs an ONNX-flavored model to a new run of {@code experiment}; returns {@code runs:/<run>/model}. */
    private static String logModel(String experiment, String weights) {
        String experimentId = http.post("/api/2.0/mlflow/experiments/create", Map.of("name", experiment)).json().get("experiment_id").asText();
        JsonNode run = http.post("/api/2.0/mlflow/runs/create", Map.of("experiment_id", experimentId)).json().at("/run/info");
        String root = run.get("artifact_uri").asText().substring("mlflow-artifacts:/".length()).replaceFirst("^/+", "");
        upload(root + "/model/MLmodel", MLMODEL);
        upload(root + "/model/model.onnx", weights);
        upload(root + "/model/extra/notes.txt", "notes");
        return "runs:/" + run.get("run_id").asText() + "/model";
    }

    private static void upload(String path, String content) {
        assertThat(http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/2.0/mlflow-artifacts/artifacts/" + path))
                .PUT(HttpRequest.BodyPublishers.ofString(content)).build()).status()).isEqualTo(200);
    }

    /** {@code az ml model create|show|archive|restore} with Azure's -n, -v and --path, and -o yaml. */
    @Test
    void azureStyleModelCommands() {
        String source = logModel("cli-az-models", "onnx weights");
        Cli.Result created = atelier("model", "create", "-n", "az-model", "--path", source);
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("Registered az-model version 1");

        Cli.Result shown = atelier("model", "show", "-n", "az-model", "-v", "1", "-o", "yaml");
        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out()).doesNotStartWith("{").contains("name: az-model").contains("version: \"1\"").contains("current_stage: None");

        Cli.Result archived = atelier("model", "archive", "-n", "az-model", "--version", "1", "-o", "json");
        assertThat(archived.exitCode()).as(archived.err()).isZero();
        assertThat(HttpJson.parse(archived.out()).path("current_stage").asText()).isEqualTo("Archived");
        assertThat(atelier("model", "restore", "az-model/1").out()).contains("Restored version 1 of az-model (stage None)");

        Cli.Result whole = atelier("model", "archive", "-n", "az-model");
        assertThat(whole.exitCode()).isEqualTo(2);
        assertThat(whole.err()).contains("Name one version: az-model/VERSION");
    }

    @Test
    void registerListShowAliasAndDownload() throws IOException {
        String source = logModel("cli-models", "onnx weights v1");
        Cli.Result registered = atelier("models", "register", "cli-model", source, "--description", "first", "--tag", "team=risk");
        assertThat(registered.exitCode()).as(registered.err()).isZero();
        assertThat(registered.out()).contains("Registered cli-model version 1 (READY)");
        assertThat(atelier("models", "register", "cli-model", logModel("cli-models-2", "onnx weights v2")).exitCode()).isZero();

        Cli.Result list = atelier("models", "list", "--filter", "name LIKE 'cli-%'");
        assertThat(list.out()).contains("cli-model").contains("2 (None)");
        Cli.Result versions = atelier("models", "versions", "cli-model", "-o", "json");
        JsonNode versionList = HttpJson.parse(versions.out());
        assertThat(versionList).extracting(version -> version.get("version").asText()).containsExactly("2", "1");
        assertThat(versionList.get(1).get("run_id").asText()).isEqualTo(source.substring(6, source.lastIndexOf('/')));

        Cli.Result alias = atelier("models", "alias", "cli-model", "champion", "1");
        assertThat(alias.exitCode()).as(alias.err()).isZero();
        Cli.Result shown = atelier("models", "show", "cli-model@champion");
        assertThat(shown.out()).contains("Version:").contains("champion").contains("model.onnx").contains("extra/notes.txt")
                .contains("onnx").contains("cli-models");
        assertThat(atelier("models", "show", "cli-model").out()).contains("Versions:").contains("champion=1");

        Path target = dataDir.resolve("downloaded");
        Cli.Result downloaded = atelier("models", "download", "cli-model@champion", "--dir", target.toString());
        assertThat(downloaded.exitCode()).as(downloaded.err()).isZero();
        assertThat(downloaded.out()).contains("3 files");
        assertThat(Files.readString(target.resolve("model.onnx"))).isEqualTo("onnx weights v1");
        assertThat(Files.readString(target.resolve("extra/notes.txt"))).isEqualTo("notes");
        Cli.Result latest = atelier("models", "download", "models:/cli-model/latest", "--dir", dataDir.resolve("latest").toString(),
                "-o", "json");
        assertThat(HttpJson.parse(latest.out()).get("version").asText()).isEqualTo("2");
        assertThat(Files.readString(dataDir.resolve("latest/model.onnx"))).isEqualTo("onnx weights v2");

        assertThat(atelier("models", "alias", "cli-model", "champion", "--delete").exitCode()).isZero();
        assertThat(atelier("models", "show", "cli-model@champion").exitCode()).isEqualTo(1);
    }

    @Test
    void badInputExitsWithTheDocumentedCodes() {
        assertThat(atelier("models", "show", "no-such-model").exitCode()).isEqualTo(1);
        assertThat(atelier("models", "versions", "no-such-model").err()).contains("no-such-model");
        Cli.Result unreadable = atelier("models", "register", "bad-source", "s3://bucket/model");
        assertThat(unreadable.exitCode()).isEqualTo(1);
        assertThat(unreadable.err()).contains("not readable by this server");
        String source = logModel("cli-bad-alias", "w");
        assertThat(atelier("models", "register", "aliased", source).exitCode()).isZero();
        Cli.Result reserved = atelier("models", "alias", "aliased", "v2", "1");
        assertThat(reserved.exitCode()).isEqualTo(1);
        assertThat(reserved.err()).contains("reserved");
        assertThat(atelier("models", "alias", "aliased", "champion").exitCode()).isEqualTo(2);
        assertThat(atelier("models", "show", "aliased/Live").exitCode()).isEqualTo(1);
        assertThat(atelier("models", "download", "aliased/7", "--dir", dataDir.resolve("none").toString()).exitCode()).isEqualTo(1);
        assertThat(Cli.run("models", "list", "--url", "http://127.0.0.1:1").exitCode()).isEqualTo(3);
    }
}
