package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code atelier component create|list|show|archive|restore} against a real server. */
class ComponentCommandTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void createUploadsTheCodeAndTheVersionIsShownListedArchivedAndRestored(@TempDir Path dir) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("train.py"), "print('train')\n");
        Path yaml = Files.writeString(dir.resolve("train.yml"), """
                $schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json
                type: command
                name: cli_train
                description: Trains on the prepared data
                code: ./src
                environment:
                  image: python:3.12-slim
                command: python train.py --lr ${{inputs.lr}} $[[--seed ${{inputs.seed}}]] --out ${{outputs.model}}
                inputs:
                  lr: {type: number, default: 0.1, min: 0, max: 1}
                  seed: {type: integer, optional: true}
                  mode: {type: string, default: fast, enum: [fast, slow]}
                outputs:
                  model: {type: mlflow_model}
                """);

        Cli.Result created = Cli.runAgainst(server.url(), "component", "create", "-f", yaml.toString());
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("Registered component cli_train:1", "azureml:cli_train:1");
        JsonNode registered = server.http().get("/api/v1/components/cli_train").json();
        String snapshot = registered.path("document").path("code").asText().substring("snapshot:".length());
        assertThat(server.http().get("/api/v1/snapshots/" + snapshot).json().path("files").findValuesAsText("path"))
                .containsExactly("train.py");
        assertThat(registered.path("document").path("environment").asText()).startsWith("azureml:CliV2AnonymousEnvironment:");

        Cli.Result again = Cli.runAgainst(server.url(), "component", "create", "-f", yaml.toString(), "-o", "json");
        assertThat(HttpJson.parse(again.out()).path("version").asText()).as("the same file is the same version").isEqualTo("1");
        Files.writeString(yaml, Files.readString(yaml).replace("name: cli_train", "name: cli_train\nversion: 1"));
        Files.writeString(src.resolve("train.py"), "print('changed')\n");
        Cli.Result changed = Cli.runAgainst(server.url(), "component", "create", "-f", yaml.toString());
        assertThat(changed.exitCode()).isEqualTo(ExitCodes.SERVER_REFUSED);
        assertThat(changed.err()).contains("cli_train", "already has version 1");

        Cli.Result shown = Cli.runAgainst(server.url(), "component", "show", "cli_train");
        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("Trains on the prepared data", "snapshot:" + snapshot, "$[[--seed ${{inputs.seed}}]]")
                .containsPattern("lr +number +0\\.1 +no +\\[0, 1\\]")
                .containsPattern("mode +string +fast +no +- +fast, slow")
                .containsPattern("model +mlflow_model");
        assertThat(HttpJson.parse(Cli.runAgainst(server.url(), "component", "show", "cli_train", "--version", "1", "--output", "json")
                .out()).path("name").asText()).isEqualTo("cli_train");

        assertThat(Cli.runAgainst(server.url(), "component", "list").out()).contains("cli_train", "Trains on the prepared data");
        Cli.Result archived = Cli.runAgainst(server.url(), "component", "archive", "cli_train", "--version", "1");
        assertThat(archived.out()).contains("Archived component cli_train:1.");
        assertThat(Cli.runAgainst(server.url(), "component", "list").out()).doesNotContain("cli_train");
        assertThat(Cli.runAgainst(server.url(), "component", "list", "--include-archived").out()).containsPattern("cli_train +1 .* yes");
        assertThat(Cli.runAgainst(server.url(), "component", "restore", "cli_train").out()).contains("Restored component cli_train:1.");
        assertThat(Cli.runAgainst(server.url(), "component", "list").out()).contains("cli_train");

        Cli.Result missing = Cli.runAgainst(server.url(), "component", "show", "nothing");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("nothing");
        Cli.Result noFile = Cli.runAgainst(server.url(), "component", "create", "-f", dir.resolve("none.yml").toString());
        assertThat(noFile.exitCode()).isEqualTo(ExitCodes.USAGE);
    }
}
