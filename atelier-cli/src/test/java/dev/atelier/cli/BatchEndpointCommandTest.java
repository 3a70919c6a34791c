package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.serving.ServingFixture;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code atelier batch-endpoint} and {@code batch-deployment} against a real server: create from YAML files (a script
 * deployment's code folder uploaded as a snapshot), invoke over a local folder, follow the job, download the output with
 * {@code data download}, list, update and delete.
 */
class BatchEndpointCommandTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void anEndpointScoresALocalFolderAndItsOutputIsDownloaded(@TempDir Path dir) throws Exception {
        new ServingFixture(server.http(), dir).registerOnnx("cli-batch-onnx");
        Path endpoint = Files.writeString(dir.resolve("endpoint.yml"), """
                $schema: https://azuremlschemas.azureedge.net/latest/batchEndpoint.schema.json
                name: cli-batch
                description: points
                """);
        Path deployment = Files.writeString(dir.resolve("deployment.yml"), """
                name: onnx
                endpoint_name: cli-batch
                type: model
                model: azureml:cli-batch-onnx:1
                compute: azureml:local
                settings:
                  mini_batch_size: 3
                """);
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("score.py"), "def init():\n    pass\n\ndef run(mini_batch):\n    return mini_batch\n");
        Path scripted = Files.writeString(dir.resolve("scripted.yml"), """
                name: script
                endpoint_name: cli-batch
                model: models:/cli-batch-onnx/1
                code_configuration:
                  code: ./src
                  scoring_script: score.py
                """);
        Path input = Files.createDirectories(dir.resolve("points"));
        Files.writeString(input.resolve("a.csv"), "x0,x1\n0.1,0.2\n0.9,0.8\n0.5,0.5\n0.3,0.9\n");

        Cli.Result created = Cli.runAgainst(server.url(), "batch-endpoint", "create", "-f", endpoint.toString());
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("Created batch endpoint 'cli-batch'");
        Cli.Result deployed = Cli.runAgainst(server.url(), "batch-deployment", "create", "-f", deployment.toString(), "--set-default");
        assertThat(deployed.exitCode()).as(deployed.err()).isZero();
        Cli.Result script = Cli.runAgainst(server.url(), "batch-deployment", "create", "-f", scripted.toString(), "-o", "json");
        assertThat(script.exitCode()).as(script.err()).isZero();
        assertThat(HttpJson.parse(script.out()).path("code_configuration").path("code").asText()).startsWith("snapshot:");
        assertThat(Cli.runAgainst(server.url(), "batch-deployment", "list", "cli-batch").out()).contains("onnx", "script", "score.py");
        assertThat(Cli.runAgainst(server.url(), "batch-endpoint", "show", "cli-batch").out()).contains("Default deployment:", "onnx");

        Cli.Result invoked = Cli.runAgainst(server.url(), "batch-endpoint", "invoke", "cli-batch", "--input", input.toString(),
                "--output-name", "cli-scores", "-o", "json");
        assertThat(invoked.exitCode()).as(invoked.err()).isZero();
        String job = HttpJson.parse(invoked.out()).path("name").asText();
        long deadline = System.nanoTime() + 90_000_000_000L;
        JsonNode ended;
        do {
            Thread.sleep(100);
            ended = server.http().get("/api/v1/jobs/" + job).json();
            assertThat(System.nanoTime()).isLessThan(deadline);
        } while (!List.of("Completed", "Failed", "Canceled").contains(ended.path("status").asText()));
        assertThat(ended.path("status").asText()).as(ended.toString()).isEqualTo("Completed");
        assertThat(Cli.runAgainst(server.url(), "batch-endpoint", "list-jobs", "cli-batch").out()).contains(job, "2/2 done",
                "data:cli-scores:1");
        assertThat(Cli.runAgainst(server.url(), "job", "show", job).out()).contains(job);

        Path out = dir.resolve("out");
        Cli.Result downloaded = Cli.runAgainst(server.url(), "data", "download", "cli-scores@latest", "--to", out.toString());
        assertThat(downloaded.exitCode()).as(downloaded.err()).isZero();
        List<String> lines;
        try (var files = Files.walk(out)) {
            Path predictions = files.filter(file -> file.getFileName().toString().equals("predictions.csv")).findFirst().orElseThrow();
            lines = Files.readAllLines(predictions);
        }
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).startsWith("file,row,");
        assertThat(lines.subList(1, 5)).extracting(line -> line.substring(0, line.indexOf(',', 6)))
                .containsExactly("a.csv,0", "a.csv,1", "a.csv,2", "a.csv,3");

        // A scoring-script deployment runs its script's run(mini_batch) on compute (docs/batch-endpoints.md, "Scoring scripts").
        Cli.Result scriptInvoked = Cli.runAgainst(server.url(), "batch-endpoint", "invoke", "cli-batch", "--input", input.toString(),
                "--deployment", "script", "--output-name", "cli-script-scores", "-o", "json");
        assertThat(scriptInvoked.exitCode()).as(scriptInvoked.err()).isZero();
        String scriptJob = HttpJson.parse(scriptInvoked.out()).path("name").asText();
        long scriptDeadline = System.nanoTime() + 120_000_000_000L;
        JsonNode scriptEnded;
        do {
            Thread.sleep(100);
            scriptEnded = server.http().get("/api/v1/jobs/" + scriptJob).json();
            assertThat(System.nanoTime()).isLessThan(scriptDeadline);
        } while (!List.of("Completed", "Failed", "Canceled").contains(scriptEnded.path("status").asText()));
        assertThat(scriptEnded.path("status").asText()).as(scriptEnded.toString()).isEqualTo("Completed");

        Cli.Result updated = Cli.runAgainst(server.url(), "batch-deployment", "update", "cli-batch", "onnx", "--mini-batch-size", "7");
        assertThat(updated.exitCode()).as(updated.err()).isZero();
        assertThat(updated.out()).contains("Mini-batch size:", "7");
        assertThat(Cli.runAgainst(server.url(), "batch-deployment", "delete", "cli-batch", "script").exitCode()).isZero();
        assertThat(Cli.runAgainst(server.url(), "batch-endpoint", "list").out()).contains("cli-batch", "onnx");
        assertThat(Cli.runAgainst(server.url(), "batch-endpoint", "delete", "cli-batch").exitCode()).isZero();
        assertThat(Cli.runAgainst(server.url(), "batch-endpoint", "show", "cli-batch").exitCode()).isEqualTo(ExitCodes.SERVER_REFUSED);
    }
}
