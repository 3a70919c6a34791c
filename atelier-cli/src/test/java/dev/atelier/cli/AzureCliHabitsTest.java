package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@code az ml} users type from memory: its nouns and verbs, {@code -n/-e/-v}, {@code --set} and {@code -o yaml}. */
class AzureCliHabitsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static List<String> rewritten(String... args) {
        return List.of(AzureCliArguments.rewrite(AtelierCommand.commandLine(new AtelierCommand(Cli.QUIET), args), args));
    }

    @Test
    void namingOptionsBecomeTheCommandsPositionalArguments() {
        assertThat(rewritten("online-deployment", "show", "-n", "blue", "-e", "web")).containsExactly("online-deployment", "show", "web", "blue");
        assertThat(rewritten("deployment", "logs", "web", "--name=blue", "--tail", "5")).containsExactly("deployment", "logs", "web", "--tail", "5", "blue");
        assertThat(rewritten("job", "show", "-n", "j1", "-o", "json")).containsExactly("job", "show", "-o", "json", "j1");
        assertThat(rewritten("model", "show", "-n", "m", "-v", "3")).containsExactly("model", "show", "m/3");
        assertThat(rewritten("data", "show", "--name", "d", "--version", "2")).containsExactly("data", "show", "d:2");
        assertThat(rewritten("model", "create", "-n", "m", "--path", "runs:/r/model")).containsExactly("model", "create", "m", "runs:/r/model");
        // A command with its own -n keeps it; arguments without Azure's options are untouched; a bare --version is atelier's.
        assertThat(rewritten("online-endpoint", "create", "-n", "web")).containsExactly("online-endpoint", "create", "-n", "web");
        assertThat(rewritten("job", "show", "j1")).containsExactly("job", "show", "j1");
        assertThat(rewritten("job", "create", "-f", "job.yml", "-n", "nightly")).containsExactly("job", "create", "-f", "job.yml", "--set", "name=nightly");
        assertThat(rewritten("--version")).containsExactly("--version");
    }

    @Test
    void setOverridesNestedFieldsWithTypedValues() {
        SetOverrides overrides = new SetOverrides();
        overrides.assignments = List.of("resources.instance_count=2", "environment_variables.MODE=fast run", "tags.ok=true",
                "inputs.0.value=0.1", "description=true story", "settings={\"a\": [1]}");
        ObjectNode document = HttpJson.parse("{\"inputs\": [{\"value\": 1}], \"resources\": {\"instance_type\": \"small\"}}").deepCopy();
        JsonNode result = overrides.applyTo(document);
        assertThat(result.toString()).isEqualTo("{\"inputs\":[{\"value\":0.1}],\"resources\":{\"instance_type\":\"small\",\"instance_count\":2},"
                + "\"environment_variables\":{\"MODE\":\"fast run\"},\"tags\":{\"ok\":true},\"description\":\"true story\","
                + "\"settings\":{\"a\":[1]}}");

        overrides.assignments = List.of("resources.instance_type.size=1");
        assertThatThrownBy(() -> overrides.applyTo(document))
                .hasMessage("--set resources.instance_type.size: 'resources.instance_type' is a value, not a mapping or a list");
        overrides.assignments = List.of("inputs.5.value=1");
        assertThatThrownBy(() -> overrides.applyTo(document)).hasMessage("--set inputs.5.value: the list has 1 items, no item 5");
        overrides.assignments = List.of("no-equals");
        assertThatThrownBy(() -> overrides.applyTo(document)).hasMessage("--set needs KEY=VALUE, got 'no-equals'");
    }

    @Test
    void azureNounsVerbsSetAndYamlAgainstAServer(@TempDir Path dir) throws IOException {
        Path yaml = Files.writeString(dir.resolve("job.yml"), """
                type: command
                name: az-job
                command: echo "mode is $MODE"
                environment_variables:
                  MODE: slow
                """);
        Cli.Result created = Cli.runAgainst(server.url(), "job", "create", "-f", yaml.toString(), "--set", "environment_variables.MODE=fast",
                "--set", "tags.team=ml", "-o", "yaml");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("name: az-job").doesNotContain("{");

        Cli.Result streamed = Cli.runAgainst(server.url(), "job", "stream", "-n", "az-job");
        assertThat(streamed.exitCode()).as(streamed.err()).isZero();
        assertThat(streamed.out()).contains("mode is fast");
        JsonNode job = HttpJson.parse(Cli.runAgainst(server.url(), "job", "show", "--name", "az-job", "-o", "json").out());
        assertThat(job.path("status").asText()).isEqualTo("Completed");
        JsonNode run = server.http().get("/api/2.0/mlflow/runs/get?run_id=" + job.path("run_id").asText()).json();
        assertThat(run.at("/run/data/tags").findValuesAsText("key")).contains("team");

        Cli.Result badSet = Cli.runAgainst(server.url(), "job", "create", "-f", yaml.toString(), "--set", "command.x=1");
        assertThat(badSet.exitCode()).isEqualTo(2);
        assertThat(badSet.err()).contains("--set command.x: 'command' is a value");

        Cli.Result endpoint = Cli.runAgainst(server.url(), "online-endpoint", "create", "-n", "az-web", "--set", "description=from az");
        assertThat(endpoint.exitCode()).as(endpoint.err()).isZero();
        Cli.Result shown = Cli.runAgainst(server.url(), "online-endpoint", "show", "-n", "az-web", "-o", "yaml");
        assertThat(shown.out()).contains("name: az-web").contains("description: from az");
        Cli.Result credentials = Cli.runAgainst(server.url(), "online-endpoint", "get-credentials", "-n", "az-web", "-o", "json");
        assertThat(credentials.exitCode()).as(credentials.err()).isZero();
        assertThat(HttpJson.parse(credentials.out()).path("primary_key").asText()).isNotBlank();
        assertThat(Cli.runAgainst(server.url(), "online-endpoint", "get-logs", "-n", "az-web").exitCode()).isZero();

        Cli.Result badFormat = Cli.runAgainst(server.url(), "job", "list", "-o", "xml");
        assertThat(badFormat.exitCode()).isEqualTo(2);
        assertThat(badFormat.err()).contains("expected 'table', 'json' or 'yaml', got 'xml'");
    }
}
