package dev.atelier.server.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.serving.ServingFixture;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch scoring job interrupted by a server's shutdown resumes on the next server from its last finished mini-batch,
 * and its output holds every row exactly once.
 */
class BatchRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int FILES = 20;
    /** 10,000 mini-batches of one row: the first server must still be scoring when it stops, on a fast machine too. */
    private static final int ROWS = 500;

    @Test
    void aJobStoppedMidwayResumesAndWritesEveryRowOnce(@TempDir Path dir) throws Exception {
        ServerConfig config = ServerConfig.forTests(dir.resolve("data"));
        String job;
        try (TestServer first = TestServer.start(config)) {
            BatchFixture batch = new BatchFixture(first.http());
            new ServingFixture(first.http(), dir).registerOnnx("restart-onnx");
            Map<String, String> files = new LinkedHashMap<>();
            for (int i = 0; i < FILES; i++) {
                files.put("part-%02d.csv".formatted(i), BatchFixture.points(ROWS, i));
            }
            batch.uploadFolder("many-points", files);
            batch.created(batch.postYaml("/api/v1/batch-endpoints", "name: restarts\n"));
            batch.created(batch.postYaml("/api/v1/batch-endpoints/restarts/deployments", """
                    name: onnx
                    model: models:/restart-onnx/1
                    settings:
                      mini_batch_size: 1
                    """));
            job = batch.invoke("restarts", Map.of("input", Map.of("path", "many-points:1"))).path("name").asText();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (first.http().get("/api/v1/jobs/" + job).json().path("result").path("mini_batches").path("done").asLong() < 20) {
                assertThat(System.nanoTime()).as("the job makes progress").isLessThan(deadline);
                BatchFixture.sleep(20);
            }
        }
        try (TestServer second = TestServer.start(config)) {
            BatchFixture batch = new BatchFixture(second.http());
            JsonNode ended = batch.awaitEnded(job, WAIT);
            List<String> log = batch.logLines(job);
            assertThat(ended.path("status").asText()).as(ended + "\n" + log).isEqualTo("Completed");
            assertThat(log).anyMatch(line -> line.startsWith("[batch] Resuming ("));
            assertThat(ended.path("result").path("rows").path("scored").asLong()).isEqualTo((long) FILES * ROWS);
            List<String> rows = second.http().get("/api/v1/data/restarts-predictions/versions/1/files/predictions.csv").text()
                    .lines().skip(1).toList();
            assertThat(rows).hasSize(FILES * ROWS);
            Set<String> keys = new HashSet<>();
            for (String row : rows) {
                String[] cells = row.split(",");
                assertThat(keys.add(cells[0] + "#" + cells[1])).as("row %s appears once", row).isTrue();
            }
            for (int i = 0; i < FILES; i++) {
                for (int row = 0; row < ROWS; row++) {
                    assertThat(keys).contains("part-%02d.csv#%d".formatted(i, row));
                }
            }
        }
    }
}
