package dev.atelier.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON behind an experiment's Charts view: a series per run for each metric, downsampled on the server (a
 * 5,000-step history arrives as at most {@code pointsPerRun} real points, first and last step kept), the runs'
 * params and latest metrics for the parallel-coordinates plot, the table's filter or the ticked runs, and the
 * refusals (a bad filter names itself; another workspace's experiment is not found).
 */
class ExperimentChartsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static String experimentId;
    private static final List<String> runs = new ArrayList<>();

    @BeforeAll
    static void logData() {
        PortalData data = new PortalData(server.http(), "default");
        experimentId = data.experiment("charts data");
        for (int i = 0; i < 3; i++) {
            String run = data.run(experimentId, "trial-" + i, Map.of("lr", "0.0" + (i + 1), "optimizer", i == 2 ? "sgd" : "adam"),
                    Map.of());
            data.metric(run, "loss", i == 0 ? 5000 : 20, 1.0 - i * 0.1);
            data.metric(run, "final_accuracy", 1, 0.8 + i * 0.05);
            data.finish(run);
            runs.add(run);
        }
        data.run(experimentId, "no-metrics", Map.of("lr", "0.5"), Map.of());
    }

    private static JsonNode chartsData(String query) {
        HttpJson.Response response = server.http().get("/experiments/" + experimentId + "/charts/data" + query);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode chart(JsonNode body, String key) {
        for (JsonNode chart : body.get("charts")) {
            if (chart.get("key").asText().equals(key)) {
                return chart;
            }
        }
        throw new AssertionError("no chart of " + key + " in " + body);
    }

    @Test
    void eachMetricHasASeriesPerRunThatLoggedItDownsampledOnTheServer() {
        JsonNode body = chartsData("");
        assertThat(body.get("runs")).hasSize(4);
        assertThat(body.get("more").asBoolean()).isFalse();
        int pointsPerRun = body.get("pointsPerRun").asInt();
        assertThat(pointsPerRun).isEqualTo(1000);
        assertThat(body.get("charts")).extracting(chart -> chart.get("key").asText()).containsExactly("final_accuracy", "loss");
        JsonNode loss = chart(body, "loss");
        assertThat(loss.get("series")).hasSize(3);
        JsonNode longest = null;
        for (JsonNode series : loss.get("series")) {
            assertThat(series.get("key").asText()).isEqualTo("loss");
            if (series.get("points").size() > 20) {
                longest = series;
            } else {
                assertThat(series.get("points")).hasSize(20);
            }
        }
        assertThat(longest).isNotNull();
        JsonNode points = longest.get("points");
        assertThat(points).hasSize(pointsPerRun);
        assertThat(points.get(0).get(0).asLong()).isZero();
        assertThat(points.get(points.size() - 1).get(0).asLong()).isEqualTo(4999);
        JsonNode middle = points.get(500);
        assertThat(middle.get(2).asDouble()).isEqualTo(1.0 + middle.get(0).asDouble() / 5000);  // a real point, not an average
        String runName = body.get("runs").get(longest.get("run").asInt()).get("name").asText();
        assertThat(longest.get("label").asText()).isEqualTo(runName).isEqualTo("trial-0");
        assertThat(chart(body, "final_accuracy").get("series")).hasSize(3).allSatisfy(series -> assertThat(series.get("points")).hasSize(1));
    }

    @Test
    void runsCarryTheirParamsAndLatestMetricsForParallelCoordinates() {
        JsonNode body = chartsData("");
        JsonNode trial = null;
        for (JsonNode run : body.get("runs")) {
            if (run.get("name").asText().equals("trial-2")) {
                trial = run;
            }
        }
        assertThat(trial).isNotNull();
        assertThat(trial.get("params").get("optimizer").asText()).isEqualTo("sgd");
        assertThat(trial.get("params").get("lr").asText()).isEqualTo("0.03");
        assertThat(trial.get("metrics").get("final_accuracy").asDouble()).isEqualTo(0.9);
    }

    @Test
    void theTablesFilterOrTheTickedRunsChooseTheRuns() {
        JsonNode filtered = chartsData("?filter=" + URLEncoder.encode("params.optimizer = 'adam'", StandardCharsets.UTF_8));
        assertThat(filtered.get("runs")).hasSize(2);
        assertThat(chart(filtered, "loss").get("series")).hasSize(2);
        JsonNode ticked = chartsData("?runs=" + runs.get(1) + "&runs=" + runs.get(2));
        assertThat(ticked.get("runs")).extracting(run -> run.get("id").asText()).containsExactly(runs.get(1), runs.get(2));
        assertThat(chart(ticked, "loss").get("series")).extracting(series -> series.get("run").asInt()).containsExactly(0, 1);
        assertThat(chart(ticked, "loss").get("series").get(0).get("points")).hasSize(20);
    }

    @Test
    void badInputIsRefusedByName() {
        HttpJson.Response badFilter = server.http().get("/experiments/" + experimentId + "/charts/data?filter="
                + URLEncoder.encode("metrics.loss >>> 1", StandardCharsets.UTF_8));
        assertThat(badFilter.status()).isEqualTo(400);
        assertThat(badFilter.text()).doesNotContain("Exception");
        assertThat(server.http().get("/experiments/999999/charts/data").status()).isEqualTo(404);
        assertThat(server.http().get("/experiments/" + experimentId + "/charts/data?runs=nosuchrun").status()).isEqualTo(404);
    }

    @Test
    void thePageIsAShellThatNamesItsData() {
        HttpJson.Response page = server.http().send(HttpRequest.newBuilder(URI.create(server.url() + "/experiments/" + experimentId
                + "/charts?filter=" + URLEncoder.encode("params.lr = '0.01'", StandardCharsets.UTF_8))).header("Accept", "text/html").GET().build());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("id=\"experiment-charts\"", "/experiments/" + experimentId + "/charts/data?filter=params.lr",
                "id=\"parcoords\"", "data-chart-controls", "/static/charts.js");
    }
}
