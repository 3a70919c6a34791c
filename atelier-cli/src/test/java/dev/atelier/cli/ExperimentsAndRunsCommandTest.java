package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The experiments, runs and gc commands against a real server; needs the tracking domain's MLflow endpoints. */
class ExperimentsAndRunsCommandTest {
    private static final Pattern CREATED_ID = Pattern.compile("with id (\\S+) ");

    @TempDir
    static Path dataDir;

    private static AtelierServer server;
    private static MlflowRest mlflow;

    @BeforeAll
    static void start() {
        server = AtelierServer.start(ServerConfig.forTests(dataDir));
        mlflow = new MlflowRest(server.url());
    }

    @AfterAll
    static void stop() {
        mlflow.close();
        server.close();
    }

    private static Cli.Result atelier(String... args) {
        return Cli.runAgainst(server.url(), args);
    }

    /** Creates an experiment through the CLI and returns its id. */
    private static String createExperiment(String name, String... workspace) {
        String[] args = new String[3 + workspace.length];
        args[0] = "experiments";
        args[1] = "create";
        args[2] = name;
        System.arraycopy(workspace, 0, args, 3, workspace.length);
        Cli.Result created = atelier(args);
        assertThat(created.exitCode()).as(created.err()).isZero();
        Matcher id = CREATED_ID.matcher(created.out());
        assertThat(id.find()).as(created.out()).isTrue();
        return id.group(1);
    }

    @Test
    void experimentsCreateListAndDeleteByName() throws IOException {
        String id = createExperiment("churn");

        Cli.Result listed = atelier("experiments", "list");
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out()).startsWith("ID").contains("churn", id);

        JsonNode json = MlflowRest.JSON.readTree(atelier("experiments", "list", "-o", "json").out());
        assertThat(json.findValuesAsText("name")).contains("churn");

        Cli.Result deleted = atelier("experiments", "delete", "churn");
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(deleted.out()).contains("Deleted experiment 'churn' (id " + id + ")");

        assertThat(atelier("experiments", "list").out()).doesNotContain("churn");
        assertThat(atelier("experiments", "list", "--deleted").out()).contains("churn");
        assertThat(atelier("experiments", "list", "--all").out()).contains("churn", "Default");
    }

    @Test
    void experimentsDeleteAcceptsTheId() {
        String id = createExperiment("by-id");

        Cli.Result deleted = atelier("experiments", "delete", id);

        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(deleted.out()).contains("'by-id'");
    }

    @Test
    void allAndDeletedTogetherIsAUsageError() {
        assertThat(atelier("experiments", "list", "--all", "--deleted").exitCode()).isEqualTo(2);
    }

    @Test
    void duplicateExperimentExitsOne() {
        createExperiment("twice");

        Cli.Result again = atelier("experiments", "create", "twice");

        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).startsWith("atelier: already exists: ");
    }

    @Test
    void unknownExperimentExitsOne() {
        Cli.Result result = atelier("experiments", "delete", "no-such-experiment");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("atelier: not found: ");
    }

    @Test
    void experimentsLiveInTheirWorkspace() {
        assertThat(atelier("workspace", "create", "team-b").exitCode()).isZero();
        createExperiment("only-in-team-b", "--workspace", "team-b");

        assertThat(atelier("experiments", "list", "-w", "team-b").out()).contains("only-in-team-b");
        assertThat(atelier("experiments", "list").out()).doesNotContain("only-in-team-b");
    }

    @Test
    void unknownWorkspaceExitsOne() {
        Cli.Result result = atelier("experiments", "list", "--workspace", "no-such-workspace");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("no-such-workspace");
    }

    @Test
    void runsListShowAndDelete() throws IOException {
        String experimentId = createExperiment("training");
        String good = mlflow.createRun(experimentId, "good-run");
        String bad = mlflow.createRun(experimentId, "bad-run");
        mlflow.postOk("/api/2.0/mlflow/runs/log-batch", """
                {"run_id": "%s", "metrics": [{"key": "loss", "value": 0.1, "timestamp": 1, "step": 3}],
                 "params": [{"key": "lr", "value": "0.01"}], "tags": [{"key": "team", "value": "vision"}]}
                """.formatted(good));
        mlflow.postOk("/api/2.0/mlflow/runs/log-batch", """
                {"run_id": "%s", "metrics": [{"key": "loss", "value": 0.9, "timestamp": 1, "step": 3}]}
                """.formatted(bad));

        Cli.Result all = atelier("runs", "list", "--experiment", "training");
        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(all.out()).startsWith("RUN ID").contains(good, bad, "good-run", "RUNNING");

        Cli.Result filtered = atelier("runs", "list", "-e", experimentId, "--filter", "metrics.loss < 0.5");
        assertThat(filtered.out()).contains(good).doesNotContain(bad);

        Cli.Result ordered = atelier("runs", "list", "-e", "training", "--order-by", "metrics.loss DESC", "--max", "1");
        assertThat(ordered.out()).contains(bad).doesNotContain(good);

        Cli.Result shown = atelier("runs", "show", good);
        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("Run ID:", good, "Params:", "lr", "0.01", "loss", "0.1", "Tags:", "vision");

        JsonNode json = MlflowRest.JSON.readTree(atelier("runs", "show", good, "--output", "json").out());
        assertThat(json.path("info").path("run_id").asText()).isEqualTo(good);

        Cli.Result deleted = atelier("runs", "delete", bad);
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(atelier("runs", "list", "-e", "training").out()).doesNotContain(bad);
        assertThat(atelier("runs", "show", bad).out()).contains("deleted");
    }

    @Test
    void unknownRunExitsOne() {
        Cli.Result result = atelier("runs", "show", "0123456789abcdef0123456789abcdef");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("atelier: not found: ");
    }

    @Test
    void gcRemovesDeletedRunsAndPrintsWhatWasFreed() throws IOException {
        String experimentId = createExperiment("collected");
        String run = mlflow.createRun(experimentId, "garbage");
        mlflow.postOk("/api/2.0/mlflow/runs/log-batch", """
                {"run_id": "%s", "metrics": [{"key": "loss", "value": 1.0, "timestamp": 1, "step": 0}]}
                """.formatted(run));
        assertThat(atelier("runs", "delete", run).exitCode()).isZero();

        Cli.Result collected = atelier("gc", "--older-than", "0s", "--workspace", "default");

        assertThat(collected.exitCode()).as(collected.err()).isZero();
        assertThat(collected.out()).contains("in workspace 'default'", "Runs:", "Metrics:", "Artifacts:", "Audit events:");
        assertThat(atelier("runs", "show", run).exitCode()).isEqualTo(1);

        JsonNode json = MlflowRest.JSON.readTree(atelier("gc", "--older-than", "0s", "-o", "json").out());
        assertThat(json.has("runs")).isTrue();
        assertThat(json.path("runs").asLong()).isZero();
    }
}
