package dev.atelier.server.monitoring;

import dev.atelier.server.config.Version;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OperationsRoutesTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final HttpJson http = server.http();

    @Test
    void healthAnswersOk() {
        HttpJson.Response health = http.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text()).isEqualTo("OK");
    }

    @Test
    void livenessAndReadinessAnswerWithTheDependenciesChecked() {
        assertThat(http.get("/health/live").text()).isEqualTo("OK");
        HttpJson.Response ready = http.get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("status").asText()).isEqualTo("ready");
        assertThat(ready.json().get("checks").toString()).isEqualTo("{\"database\":\"ok\",\"artifacts\":\"ok\"}");
    }

    @Test
    void versionIsTheBuildVersion() {
        assertThat(Version.current()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(http.get("/version").text()).isEqualTo(Version.current());
    }

    @Test
    void metricsCountRequestsPerRouteTemplate() {
        http.post("/api/2.0/mlflow/experiments/create", Map.of("name", "metrics-probe"));
        http.get("/api/2.0/mlflow/experiments/get?experiment_id=424242");
        String scrape = http.get("/metrics").text();
        assertThat(scrape).contains("atelier_http_requests_seconds_count{method=\"POST\",route=\"/api/2.0/mlflow/experiments/create\",status=\"200\"}");
        assertThat(scrape).contains("route=\"/api/2.0/mlflow/experiments/get\",status=\"404\"");
        // Latency as a histogram with fixed buckets, so that quantiles aggregate across replicas.
        assertThat(scrape).contains("atelier_http_requests_seconds_bucket{method=\"POST\",route=\"/api/2.0/mlflow/experiments/create\","
                + "status=\"200\",le=\"30.0\"} 1");
        // The JVM, the process and the build.
        assertThat(scrape).contains("jvm_memory_used_bytes", "jvm_gc_", "process_cpu_usage", "process_files_open_files",
                "atelier_build{version=\"" + Version.current() + "\"} 1");
    }
}
