package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.RequiredTool;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code atelier compute create -f instance.yml} and the instance lifecycle against a real server running real Jupyter. */
class ComputeInstanceCommandTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void createStopStartShowAndDeleteAnInstance(@TempDir Path dir) throws IOException, InterruptedException {
        RequiredTool.require(Files.isExecutable(Path.of("/usr/bin/jupyter-notebook"))
                || Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/jupyter_server")), "Jupyter");
        Path yaml = Files.writeString(dir.resolve("instance.yml"), """
                $schema: https://azuremlschemas.azureedge.net/latest/computeInstance.schema.json
                type: computeinstance
                name: cli-nb
                description: my notebooks
                idle_time_before_shutdown_minutes: 30
                setup_scripts:
                  startup_script:
                    command: echo started > started.txt
                """);
        Cli.Result created = Cli.runAgainst(server.url(), "compute", "create", "-f", yaml.toString(), "-o", "json");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(HttpJson.parse(created.out()).path("name").asText()).isEqualTo("cli-nb");
        awaitState("cli-nb", "Running");
        assertThat(server.http().get("/w/default/notebooks/cli-nb/api/contents/started.txt").status())
                .as("the startup script ran in the files folder, and the proxy answers for the default workspace").isEqualTo(200);

        Cli.Result stopped = Cli.runAgainst(server.url(), "compute", "stop", "cli-nb");
        assertThat(stopped.exitCode()).as(stopped.err()).isZero();
        assertThat(stopped.out()).contains("Stopped");
        JsonNode shown = HttpJson.parse(Cli.runAgainst(server.url(), "compute", "show", "cli-nb", "--output", "json").out());
        assertThat(shown.path("state").asText()).isEqualTo("Stopped");

        assertThat(Cli.runAgainst(server.url(), "compute", "start", "cli-nb").exitCode()).isZero();
        awaitState("cli-nb", "Running");
        assertThat(Cli.runAgainst(server.url(), "compute", "restart", "cli-nb").exitCode()).isZero();
        awaitState("cli-nb", "Running");

        Cli.Result deleted = Cli.runAgainst(server.url(), "compute", "delete", "cli-nb");
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(deleted.out()).contains("Deleted compute instance 'cli-nb'");
        assertThat(server.http().get("/api/v1/compute-instances/cli-nb").status()).isEqualTo(404);
    }

    private static void awaitState(String name, String state) throws InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        String current = "";
        while (System.nanoTime() < deadline) {
            JsonNode shown = HttpJson.parse(Cli.runAgainst(server.url(), "compute", "show", name, "--output", "json").out());
            current = shown.path("state").asText();
            if (current.equals(state)) {
                return;
            }
            assertThat(current).as(shown.toString()).isNotEqualTo("Failed");
            Thread.sleep(200);
        }
        throw new AssertionError(name + " is " + current + ", not " + state);
    }
}
