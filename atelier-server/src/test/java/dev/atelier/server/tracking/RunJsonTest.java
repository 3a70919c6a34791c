package dev.atelier.server.tracking;

import dev.atelier.server.http.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RunJsonTest {
    private static final Run FULL = new Run(
            new RunInfo("r1", "3", "calm-owl-1", "ana", RunStatus.FINISHED, 1_700_000_000_000L, 1_700_000_000_500L, "file:///a/r1/artifacts",
                    "active", "r1"),
            new RunData(List.of(new Metric("acc", 0.5, 10, 2), new Metric("loss", Double.NaN, 11, 0),
                    new Metric("max", Double.POSITIVE_INFINITY, 12, 0), new Metric("min", Double.NEGATIVE_INFINITY, 13, 0)),
                    List.of(new KeyValue("lr", "0.01")), List.of(new KeyValue("mlflow.runName", "calm-owl-1"), new KeyValue("q", "\"é\n"))),
            new RunInputs(List.of(new DatasetInput(List.of(new KeyValue("mlflow.data.context", "train")),
                            new Dataset("iris", "abc", "local", "{\"uri\":\"x\"}", "{}", null)),
                    new DatasetInput(List.of(), new Dataset("wine", "def", "http", "{}", null, "{\"rows\":3}")))));
    private static final Run BARE = new Run(
            new RunInfo("r2", "0", null, null, RunStatus.RUNNING, null, null, "s3://b/r2/artifacts", "deleted", "r2"),
            new RunData(List.of(), List.of(), List.of()), new RunInputs(List.of()));

    @Test
    void writesARunByteForByteAsTheRecordSerializer() throws Exception {
        for (Run run : List.of(FULL, BARE)) {
            assertThat(new String(RunJson.one(run), StandardCharsets.UTF_8)).isEqualTo(Json.mapper().writeValueAsString(Map.of("run", run)));
        }
    }

    @Test
    void writesAPageByteForByteAsTheRecordSerializer() throws Exception {
        for (Page<Run> page : List.of(new Page<>(List.of(FULL, BARE), Optional.of("token")), new Page<>(List.of(BARE), Optional.<String>empty()))) {
            assertThat(new String(RunJson.page(page, Map.of()), StandardCharsets.UTF_8)).isEqualTo(Json.mapper().writeValueAsString(page.body("runs")));
        }
    }
}
