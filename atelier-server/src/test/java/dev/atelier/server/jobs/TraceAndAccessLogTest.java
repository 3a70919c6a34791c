package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.http.AccessLog;
import dev.atelier.server.logging.LogLine;
import dev.atelier.server.logging.LogOutput;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/operations.md, "Logs" and "Monitoring": the access log line of a request (captured from the real logger), the W3C
 * traceparent continued and answered, handed to a job's processes as TRACEPARENT, and the operations gauges.
 */
class TraceAndAccessLogTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final HttpJson http = server.http();
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

    @Test
    void aRequestContinuesTheCallersTraceAndWritesOneAccessLogLine() throws Exception {
        List<LogLine> lines = new CopyOnWriteArrayList<>();
        HttpJson.Response response;
        LogOutput.Listening listening = LogOutput.listen(lines::add);
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/2.0/mlflow/experiments/get?experiment_id=0"))
                    .header("traceparent", CALLER).GET().build());
            awaitAccessLine(lines, "/api/2.0/mlflow/experiments/get");
        } finally {
            listening.close();
        }
        assertThat(response.status()).isEqualTo(200);
        LogLine line = lines.stream().filter(l -> l.logger().equals(AccessLog.LOGGER)
                && "/api/2.0/mlflow/experiments/get".equals(l.fields().get("route"))).findFirst().orElseThrow();
        assertThat(line.level()).isEqualTo("INFO");
        assertThat(line.fields()).containsEntry("trace_id", TRACE_ID).containsEntry("method", "GET")
                .containsEntry("workspace", "default").containsEntry("user", "local").containsEntry("status", 200)
                .containsKeys("request_id", "duration_ms");
        assertThat(((Number) line.fields().get("duration_ms")).longValue()).isNotNegative();
        String spanId = (String) line.fields().get("request_id");
        assertThat(spanId).matches("[0-9a-f]{16}").isNotEqualTo("00f067aa0ba902b7");
        // The answer carries this server's span of the caller's trace, and the same request id.
        java.net.http.HttpResponse<String> raw = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(http.baseUrl() + "/health")).header("traceparent", CALLER).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        String answered = raw.headers().firstValue("traceparent").orElseThrow();
        assertThat(answered).matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01").doesNotContain("00f067aa0ba902b7");
        assertThat(raw.headers().firstValue("X-Request-Id").orElseThrow()).isEqualTo(answered.split("-")[2]);
        // Without one (or with a malformed one), a new trace starts.
        java.net.http.HttpResponse<String> fresh = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(http.baseUrl() + "/health")).header("traceparent", "00-zz-bad-01").GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(fresh.headers().firstValue("traceparent").orElseThrow()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00")
                .doesNotContain(TRACE_ID);
    }

    @Test
    void aWorkspaceRouteIsLoggedByItsTemplate() throws Exception {
        http.post("/api/v1/workspaces", java.util.Map.of("name", "team-log"));
        List<LogLine> lines = new CopyOnWriteArrayList<>();
        LogOutput.Listening listening = LogOutput.listen(lines::add);
        try {
            http.get("/w/team-log/api/2.0/mlflow/experiments/search?max_results=1");
            awaitAccessLine(lines, "/w/{workspace}/api/2.0/mlflow/experiments/search");
        } finally {
            listening.close();
        }
        LogLine line = lines.stream().filter(l -> "/w/{workspace}/api/2.0/mlflow/experiments/search".equals(l.fields().get("route")))
                .findFirst().orElseThrow();
        assertThat(line.fields()).containsEntry("workspace", "team-log");
    }

    @Test
    void aSubmittedJobFindsTheSubmittersTraceInTraceparent() {
        JobsFixture jobs = new JobsFixture(http);
        HttpJson.Response submitted = http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/jobs"))
                .header("Content-Type", "application/yaml").header("traceparent", CALLER)
                .POST(HttpRequest.BodyPublishers.ofString("name: traced\ncommand: echo \"TP=$TRACEPARENT\"\n", StandardCharsets.UTF_8))
                .build());
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);
        JsonNode job = jobs.awaitEnded("traced", Duration.ofMinutes(2));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("Completed");
        assertThat(jobs.logLines("traced")).anyMatch(line -> line.matches("TP=00-" + TRACE_ID + "-[0-9a-f]{16}-01"));
    }

    @Test
    void metricsShowTheJobQueueTheConnectionPoolAndHttpThreads() {
        String metrics = http.get("/metrics").text();
        assertThat(metrics).contains("atelier_jobs{state=\"Queued\"}", "atelier_jobs{state=\"Running\"}",
                "atelier_db_connections{state=\"active\"}", "atelier_db_connections{state=\"idle\"}",
                "atelier_db_connections{state=\"pending\"}", "atelier_http_server_threads{state=\"busy\"}",
                "atelier_http_server_threads{state=\"idle\"}", "atelier_http_requests_active");
    }

    /** The access line is written once the answer is sent: wait for it (a bounded wait, not a timing assertion). */
    private static void awaitAccessLine(List<LogLine> lines, String route) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (lines.stream().noneMatch(l -> l.logger().equals(AccessLog.LOGGER) && route.equals(l.fields().get("route")))) {
            assertThat(System.nanoTime()).as("no access log line for %s", route).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
