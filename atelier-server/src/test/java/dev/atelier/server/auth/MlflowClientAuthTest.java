package dev.atelier.server.auth;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MLflow's own Java client, unmodified, against a server with authentication on. */
class MlflowClientAuthTest {
    private static SecuredServer server;

    @BeforeAll
    static void start() {
        server = SecuredServer.start();
        server.createWorkspace("team-ml");
        server.createUser("scientist", "scientist-password", false);
        server.grant("default", "scientist", "Data Scientist");
        server.grant("team-ml", "scientist", "Data Scientist");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void bearerTokenTracksIntoAWorkspace() {
        String token = server.createToken(SecuredServer.basic("scientist", "scientist-password"), Map.of("name", "mlflow"));
        try (MlflowClient client = new MlflowClient(new BasicMlflowHostCreds(server.url() + "/w/team-ml", token))) {
            String experimentId = client.createExperiment("bearer-experiment");
            Service.RunInfo run = client.createRun(experimentId);
            client.logMetric(run.getRunId(), "loss", 0.25);
            assertThat(client.getRun(run.getRunId()).getData().getMetricsList()).extracting(Service.Metric::getValue)
                    .containsExactly(0.25);
        }
    }

    @Test
    void basicUserAndPasswordWorksOnEveryCall() {
        try (MlflowClient client = new MlflowClient(new BasicMlflowHostCreds(server.url(), "scientist", "scientist-password"))) {
            String experimentId = client.createExperiment("basic-experiment");
            Service.RunInfo run = client.createRun(experimentId);
            for (int step = 0; step < 20; step++) {
                client.logMetric(run.getRunId(), "accuracy", step / 20.0, System.currentTimeMillis(), step);
            }
            assertThat(client.getMetricHistory(run.getRunId(), "accuracy")).hasSize(20);
        }
    }

    @Test
    void noCredentialsIsRefusedWith401AndAReaderCannotWrite() {
        try (MlflowClient anonymous = new MlflowClient(server.url())) {
            assertThatThrownBy(() -> anonymous.createExperiment("anonymous-experiment"))
                    .isInstanceOfSatisfying(MlflowHttpException.class, e -> assertThat(e.getStatusCode()).isEqualTo(401));
        }
        try (MlflowClient wrong = new MlflowClient(new BasicMlflowHostCreds(server.url(), "scientist", "wrong-password"))) {
            assertThatThrownBy(() -> wrong.listArtifacts("x"))
                    .isInstanceOfSatisfying(MlflowHttpException.class, e -> assertThat(e.getStatusCode()).isEqualTo(401));
        }
        String readerToken = server.userWithRole("mlflow-reader", "default", "Reader");
        try (MlflowClient reader = new MlflowClient(new BasicMlflowHostCreds(server.url(), readerToken))) {
            assertThat(reader.getExperiment("0").getName()).isEqualTo("Default");
            assertThatThrownBy(() -> reader.createExperiment("reader-experiment"))
                    .isInstanceOfSatisfying(MlflowHttpException.class, e -> assertThat(e.getStatusCode()).isEqualTo(403));
        }
    }
}
