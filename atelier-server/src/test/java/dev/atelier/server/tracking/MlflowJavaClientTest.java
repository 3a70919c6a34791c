package dev.atelier.server.tracking;

import dev.atelier.server.tracking.search.ViewType;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.ExperimentsPage;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.RunsPage;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Drives Atelier with MLflow's own Java client ({@code org.mlflow:mlflow-client}), unmodified, for
 * every tracking call it offers. It sends int64 fields as JSON strings, which the server accepts.
 */
class MlflowJavaClientTest {
    private static TestServer server;
    private static MlflowClient client;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        client = new MlflowClient(server.url());
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void experimentsCanBeCreatedFoundRenamedTaggedDeletedAndRestored() {
        String id = client.createExperiment("java-client-experiments");
        assertThat(client.getExperiment(id).getName()).isEqualTo("java-client-experiments");
        assertThat(client.getExperimentByName("java-client-experiments")).map(Service.Experiment::getExperimentId).contains(id);
        assertThat(client.getExperimentByName("no-such-experiment")).isEmpty();

        client.renameExperiment(id, "java-client-renamed");
        client.setExperimentTag(id, "owner", "data-science");
        Service.Experiment renamed = client.getExperiment(id);
        assertThat(renamed.getName()).isEqualTo("java-client-renamed");
        assertThat(renamed.getTagsList()).extracting(Service.ExperimentTag::getKey, Service.ExperimentTag::getValue)
                .contains(org.assertj.core.groups.Tuple.tuple("owner", "data-science"));

        client.deleteExperiment(id);
        assertThat(client.getExperiment(id).getLifecycleStage()).isEqualTo("deleted");
        client.restoreExperiment(id);
        assertThat(client.getExperiment(id).getLifecycleStage()).isEqualTo("active");
    }

    @Test
    void duplicateExperimentNameIsResourceAlreadyExistsWithStatus400() {
        client.createExperiment("java-client-duplicate");
        assertThatThrownBy(() -> client.createExperiment("java-client-duplicate"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS");
                });
    }

    @Test
    void runLoggingRoundTripsParamsMetricsTagsAndNonFiniteValues() {
        String experimentId = client.createExperiment("java-client-runs");
        Service.RunInfo info = client.createRun(experimentId);
        String runId = info.getRunId();
        assertThat(info.getStatus()).isEqualTo(Service.RunStatus.RUNNING);
        assertThat(info.getArtifactUri()).isEqualTo("mlflow-artifacts:/" + experimentId + "/" + runId + "/artifacts");

        client.logParam(runId, "lr", "0.1");
        client.logParam(runId, "lr", "0.1");
        client.logMetric(runId, "loss", 0.5, 1000, 0);
        client.logMetric(runId, "loss", 0.25, 2000, 1);
        client.logMetric(runId, "nan", Double.NaN);
        client.logMetric(runId, "inf", Double.POSITIVE_INFINITY);
        client.logMetric(runId, "ninf", Double.NEGATIVE_INFINITY);
        client.setTag(runId, "team", "ml");
        client.setTag(runId, "temporary", "x");
        client.deleteTag(runId, "temporary");
        client.logBatch(runId,
                List.of(Service.Metric.newBuilder().setKey("acc").setValue(0.9).setTimestamp(3000).setStep(2).build()),
                List.of(Service.Param.newBuilder().setKey("epochs").setValue("10").build()),
                List.of(Service.RunTag.newBuilder().setKey("stage").setValue("train").build()));

        Service.Run run = client.getRun(runId);
        Map<String, Double> metrics = run.getData().getMetricsList().stream()
                .collect(Collectors.toMap(Service.Metric::getKey, Service.Metric::getValue));
        assertThat(metrics).containsEntry("loss", 0.25).containsEntry("acc", 0.9)
                .containsEntry("inf", Double.POSITIVE_INFINITY).containsEntry("ninf", Double.NEGATIVE_INFINITY);
        assertThat(metrics.get("nan")).isNaN();
        assertThat(run.getData().getParamsList()).extracting(Service.Param::getKey).containsExactlyInAnyOrder("lr", "epochs");
        assertThat(run.getData().getTagsList()).extracting(Service.RunTag::getKey).contains("team", "stage").doesNotContain("temporary");

        assertThat(client.getMetricHistory(runId, "loss")).extracting(Service.Metric::getValue).containsExactly(0.5, 0.25);

        client.setTerminated(runId, Service.RunStatus.FINISHED, 5000);
        Service.RunInfo finished = client.getRun(runId).getInfo();
        assertThat(finished.getStatus()).isEqualTo(Service.RunStatus.FINISHED);
        assertThat(finished.getEndTime()).isEqualTo(5000);
    }

    @Test
    void changingAParamIsRejected() {
        String runId = client.createRun(client.createExperiment("java-client-params")).getRunId();
        client.logParam(runId, "lr", "0.1");
        assertThatThrownBy(() -> client.logParam(runId, "lr", "0.2"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getBodyMessage()).contains("INVALID_PARAMETER_VALUE");
                });
    }

    @Test
    void deletedRunsAreHiddenFromActiveSearchAndCanBeRestored() {
        String experimentId = client.createExperiment("java-client-delete");
        String runId = client.createRun(experimentId).getRunId();
        client.deleteRun(runId);
        assertThat(client.getRun(runId).getInfo().getLifecycleStage()).isEqualTo("deleted");
        assertThat(client.searchRuns(List.of(experimentId), "", Service.ViewType.ACTIVE_ONLY, 10).getItems()).isEmpty();
        assertThat(client.searchRuns(List.of(experimentId), "", Service.ViewType.DELETED_ONLY, 10).getItems()).hasSize(1);
        client.restoreRun(runId);
        assertThat(client.searchRuns(List.of(experimentId), "", Service.ViewType.ACTIVE_ONLY, 10).getItems())
                .extracting(run -> run.getInfo().getRunId()).containsExactly(runId);
    }

    @Test
    void searchRunsFiltersOrdersAndPages() {
        String experimentId = client.createExperiment("java-client-search");
        for (int i = 0; i < 5; i++) {
            String runId = client.createRun(experimentId).getRunId();
            client.logMetric(runId, "acc", i / 10.0);
            client.logParam(runId, "model", i % 2 == 0 ? "tree" : "linear");
        }
        RunsPage first = client.searchRuns(List.of(experimentId), "metrics.acc >= 0.1 and params.model = 'tree'",
                Service.ViewType.ACTIVE_ONLY, 1, List.of("metrics.acc DESC"));
        assertThat(first.getItems()).hasSize(1);
        assertThat(accOf(first.getItems().get(0))).isEqualTo(0.4);
        RunsPage second = client.searchRuns(List.of(experimentId), "metrics.acc >= 0.1 and params.model = 'tree'",
                Service.ViewType.ACTIVE_ONLY, 1, List.of("metrics.acc DESC"), first.getNextPageToken().orElseThrow());
        assertThat(accOf(second.getItems().get(0))).isEqualTo(0.2);
        assertThat(second.getNextPageToken()).isEmpty();
    }

    @Test
    void searchExperimentsFiltersAndPages() {
        client.createExperiment("java-client-paging-a");
        client.createExperiment("java-client-paging-b");
        ExperimentsPage page = client.searchExperiments("name LIKE 'java-client-paging-%'", Service.ViewType.ACTIVE_ONLY, 1,
                List.of("name ASC"));
        assertThat(page.getItems()).extracting(Service.Experiment::getName).containsExactly("java-client-paging-a");
        ExperimentsPage next = client.searchExperiments("name LIKE 'java-client-paging-%'", Service.ViewType.ACTIVE_ONLY, 1,
                List.of("name ASC"), page.getNextPageToken().orElseThrow());
        assertThat(next.getItems()).extracting(Service.Experiment::getName).containsExactly("java-client-paging-b");
    }

    @Test
    void unknownRunIsNotFound() {
        assertThatThrownBy(() -> client.getRun("00000000000000000000000000000000"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST");
                });
    }

    @Test
    void aClientPointedAtAWorkspaceTracksIntoThatWorkspaceOnly() {
        server.http().post("/api/v1/workspaces", Map.of("name", "java-team"));
        try (MlflowClient team = new MlflowClient(server.url() + "/w/java-team")) {
            String experimentId = team.createExperiment("team-only");
            String runId = team.createRun(experimentId).getRunId();
            team.logMetric(runId, "m", 1.0);
            assertThat(team.getRun(runId).getData().getMetricsCount()).isEqualTo(1);
            assertThat(client.getExperimentByName("team-only")).isEmpty();
            assertThatThrownBy(() -> client.getRun(runId)).isInstanceOf(MlflowHttpException.class);
        }
    }

    private static double accOf(Service.Run run) {
        return client.getRun(run.getInfo().getRunId()).getData().getMetricsList().stream()
                .filter(metric -> metric.getKey().equals("acc")).findFirst().orElseThrow().getValue();
    }
}
