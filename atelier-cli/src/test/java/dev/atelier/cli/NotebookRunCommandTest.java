package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.RequiredTool;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code atelier notebook run} against a real server: the notebook runs in a real kernel inside the local target's
 * sandbox, with Debian's Jupyter executor, and the executed notebook is the run's artifact whether the job completes or fails.
 */
class NotebookRunCommandTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static boolean matplotlib;

    @BeforeAll
    static void requireJupyter() {
        RequiredTool.require(pythonImports("nbclient, nbformat, ipykernel"), "Jupyter's executor and kernel for /usr/bin/python3 "
                + "(python3-nbclient, python3-nbformat, python3-ipykernel)");
        matplotlib = pythonImports("matplotlib, matplotlib_inline");
    }

    @Test
    void aNotebookRunsAsAJobAndItsExecutedCopyIsTheRunsArtifact(@TempDir Path dir) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("analysis"));
        Files.writeString(folder.resolve("numbers.txt"), "1 2 3 4\n");
        Path notebook = Files.writeString(folder.resolve("explore.ipynb"), notebook(
                "print('hello from a notebook job')",
                "total = sum(int(n) for n in open('numbers.txt').read().split())\ntotal * 10",
                """
                try:
                    import matplotlib.pyplot as plt
                    plt.figure(figsize=(1, 1))
                    plt.plot([0, 1], [0, 1])
                except ImportError:
                    print('no matplotlib')
                """));

        Cli.Result run = Cli.runAgainst(server.url(), "notebook", "run", notebook.toString(), "--experiment-name", "notebooks", "--stream");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("Created job '", "[notebook] cell 3 of 3 (code)", "outputs/explore.ipynb")
                .containsPattern("Job 'job_\\w+' ended Completed");
        String job = run.out().replaceAll("(?s).*Created job '([^']+)'.*", "$1");

        JsonNode shown = server.http().get("/api/v1/jobs/" + job).json();
        assertThat(shown.path("status").asText()).isEqualTo("Completed");
        JsonNode executed = executedNotebook(job, dir, "explore.ipynb");
        JsonNode cells = executed.path("cells");
        assertThat(cells).hasSize(3);
        assertThat(cells.get(0).path("outputs").get(0).path("text").toString()).contains("hello from a notebook job");
        assertThat(cells.get(1).path("execution_count").asInt()).isEqualTo(2);
        assertThat(cells.get(1).path("outputs").get(0).path("data").path("text/plain").toString()).contains("100");
        if (matplotlib) {
            assertThat(cells.get(2).path("outputs").findValues("image/png")).isNotEmpty();
        } else {
            assertThat(cells.get(2).path("outputs").toString()).contains("no matplotlib");
        }
        JsonNode experiment = server.http().get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=notebooks").json();
        assertThat(shown.path("experiment_id").asText()).isEqualTo(experiment.path("experiment").path("experiment_id").asText());
    }

    @Test
    void aFailingCellFailsTheJobAndTheExecutedNotebookIsStillKept(@TempDir Path dir) throws IOException {
        Path notebook = Files.writeString(dir.resolve("broken.ipynb"), notebook(
                "print('before the error')", "raise ValueError('the data is wrong')", "print('never printed')"));

        Cli.Result run = Cli.runAgainst(server.url(), "notebook", "run", notebook.toString(), "--stream", "-o", "json");
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.JOB_NOT_COMPLETED);
        JsonNode ended = HttpJson.parse(run.out());
        assertThat(ended.path("status").asText()).isEqualTo("Failed");
        assertThat(run.err()).contains("ValueError", "ended Failed");

        JsonNode cells = executedNotebook(ended.path("name").asText(), dir, "broken.ipynb").path("cells");
        assertThat(cells.get(0).path("outputs").get(0).path("text").toString()).contains("before the error");
        JsonNode error = cells.get(1).path("outputs").get(0);
        assertThat(error.path("output_type").asText()).isEqualTo("error");
        assertThat(error.path("ename").asText()).isEqualTo("ValueError");
        assertThat(error.path("evalue").asText()).isEqualTo("the data is wrong");
        assertThat(cells.get(2).path("outputs")).isEmpty();
    }

    @Test
    void aFileThatIsNotARunnableNotebookIsAUsageErrorAndNothingIsSent(@TempDir Path dir) throws IOException {
        Path script = Files.writeString(dir.resolve("train.py"), "print(1)\n");
        Cli.Result result = Cli.runAgainst(server.url(), "notebook", "run", script.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("is not a .ipynb file");
        Cli.Result missing = Cli.runAgainst(server.url(), "notebook", "run", dir.resolve("nowhere.ipynb").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("is not a file");
        Files.writeString(dir.resolve(".gitignore"), "*.ipynb\n");
        Path ignored = Files.writeString(dir.resolve("scratch.ipynb"), "{}");
        Cli.Result left = Cli.runAgainst(server.url(), "notebook", "run", ignored.toString());
        assertThat(left.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(left.err()).contains("left out of its folder's snapshot");
        assertThat(server.http().get("/api/v1/jobs").json().toString()).doesNotContain("scratch.ipynb", "train.py");
    }

    /** The executed notebook among the job's downloaded artifacts. */
    private static JsonNode executedNotebook(String job, Path dir, String file) throws IOException {
        Path downloads = dir.resolve("downloads-" + job);
        Cli.Result downloaded = Cli.runAgainst(server.url(), "job", "download", job, "-d", downloads.toString());
        assertThat(downloaded.exitCode()).as(downloaded.err()).isZero();
        return HttpJson.parse(Files.readString(downloads.resolve("outputs").resolve(file)));
    }

    /** An nbformat 4 notebook of code cells, never run, as Jupyter saves one. */
    private static String notebook(String... sources) throws IOException {
        ObjectNode notebook = JsonNodeFactory.instance.objectNode().put("nbformat", 4).put("nbformat_minor", 5);
        notebook.putObject("metadata").putObject("kernelspec").put("name", "python3").put("display_name", "Python 3")
                .put("language", "python");
        ArrayNode cells = notebook.putArray("cells");
        for (int i = 0; i < sources.length; i++) {
            ObjectNode cell = cells.addObject().put("cell_type", "code").put("id", "cell-" + i).putNull("execution_count");
            cell.putObject("metadata");
            cell.putArray("outputs");
            cell.put("source", sources[i]);
        }
        return new ObjectMapper().writeValueAsString(notebook);
    }

    private static boolean pythonImports(String modules) {
        try {
            Process process = new ProcessBuilder("/usr/bin/python3", "-c", "import " + modules).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
