package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Logging into runs with the SDK against a real server: params, metrics, tags, batches and artifacts
 * directly, and through {@link AsyncRunLogger} more than one log-batch call takes, with errors surfaced on
 * flush and close.
 */
class RunLoggingTest {
    private static TestServer server;
    private static AtelierClient client;
    private static String experimentId;

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        client = AtelierClient.builder(server.url()).credentials(Credentials.NONE).build();
        experimentId = client.experiments().create("sdk-logging");
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void paramsMetricsTagsBatchesAndArtifactsAreLogged() throws Exception {
        RunInfo run = client.runs().create(experimentId, "direct");
        client.runs().logParam(run.runId(), "lr", "0.1");
        client.runs().logMetric(run.runId(), "loss", 0.5, 0);
        client.runs().logMetric(run.runId(), new Metric("loss", Double.NaN, 1000, 1));
        client.runs().setTag(run.runId(), "team", "vision");
        client.runs().logBatch(run.runId(), List.of(new Metric("acc", 0.9, 1000, 0)), Map.of("epochs", "3"), Map.of("stage", "dev"));
        Path file = Files.writeString(work.resolve("notes.txt"), "hello");
        client.artifacts().uploadFile(run.artifactUri(), "reports/notes.txt", file);
        RunInfo ended = client.runs().end(run.runId(), "FINISHED");

        assertThat(ended.status()).isEqualTo("FINISHED");
        Run got = client.runs().get(run.runId());
        assertThat(got.data().params()).containsEntry("lr", "0.1").containsEntry("epochs", "3");
        assertThat(got.data().tags()).containsEntry("team", "vision").containsEntry("stage", "dev");
        assertThat(got.data().metrics()).extracting(Metric::key).contains("loss", "acc");
        assertThat(got.data().metrics()).filteredOn(metric -> metric.key().equals("loss")).singleElement()
                .satisfies(metric -> assertThat(metric.value()).isNaN());
        List<Path> downloaded = client.artifacts().downloadDirectory(run.artifactUri(), work.resolve("back"));
        assertThat(downloaded).containsExactly(Path.of("reports", "notes.txt"));
        assertThat(Files.readString(work.resolve("back/reports/notes.txt"))).isEqualTo("hello");
    }

    @Test
    void theAsyncLoggerSendsMoreThanOneBatchTakesInOrder() {
        RunInfo run = client.runs().create(experimentId, "async");
        try (AsyncRunLogger logger = client.runs().asyncLogger(run.runId())) {
            for (int step = 0; step < 2500; step++) {
                logger.logMetric(new Metric("loss", 1.0 / (step + 1), 1000L + step, step));
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < 150; i++) {
                params.put("p" + i, Integer.toString(i));
            }
            logger.logBatch(List.of(), params, Map.of());
            for (int i = 0; i < 150; i++) {
                logger.setTag("t" + i, "first");
            }
            logger.setTag("t0", "last");
            logger.flush();
            assertThat(history(run.runId(), "loss")).hasSize(2500);
            logger.logMetric("acc", 0.75, 0);
        }
        Run got = client.runs().get(run.runId());
        assertThat(got.data().params()).hasSize(150).containsEntry("p149", "149");
        assertThat(got.data().tags()).containsEntry("t0", "last").containsEntry("t149", "first");
        assertThat(got.data().metrics()).extracting(Metric::key).contains("acc");
        List<Double> values = new ArrayList<>();
        history(run.runId(), "loss").forEach(point -> values.add(point.get("value").asDouble()));
        assertThat(values.get(2499)).isEqualTo(1.0 / 2500);
    }

    @Test
    void errorsAreThrownByFlushAndCloseAndNothingIsLoggedAfterClose() {
        RunInfo run = client.runs().create(experimentId, "refused");
        AsyncRunLogger logger = client.runs().asyncLogger(run.runId());
        logger.logParam("lr", "0.1");
        logger.logParam("lr", "0.2");
        assertThatThrownBy(logger::flush).isInstanceOfSatisfying(AtelierException.class,
                refused -> assertThat(refused.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE));
        logger.logMetric("loss", 1, 0);
        logger.flush();
        logger.close();
        assertThatThrownBy(() -> logger.logMetric("loss", 2, 1)).isInstanceOf(IllegalStateException.class);
        assertThat(client.runs().get(run.runId()).data().params()).containsEntry("lr", "0.1");

        AsyncRunLogger missing = client.runs().asyncLogger("0123456789abcdef0123456789abcdef");
        missing.setTag("k", "v");
        assertThatThrownBy(missing::close).isInstanceOfSatisfying(AtelierException.class,
                refused -> assertThat(refused.errorCode()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
    }

    private static JsonNode history(String runId, String key) {
        return server.http().get("/api/2.0/mlflow/metrics/get-history?run_id=" + runId + "&metric_key=" + key).json().path("metrics");
    }
}
