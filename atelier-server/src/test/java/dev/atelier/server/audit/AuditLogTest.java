package dev.atelier.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the audit log records, and its query routes. */
class AuditLogTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final HttpJson http = server.http();

    @Test
    void mutationsAreRecordedWithTheirOutcome() {
        http.post("/api/2.0/mlflow/experiments/create", Map.of("name", "audited-experiment"));
        http.post("/api/2.0/mlflow/experiments/create", Map.of("name", "audited-experiment"));

        List<JsonNode> events = eventsWithTarget("/api/2.0/mlflow/experiments/create");
        assertThat(events).hasSizeGreaterThanOrEqualTo(2);
        JsonNode failed = events.get(0);
        JsonNode allowed = events.get(1);
        assertThat(failed.get("outcome").asText()).isEqualTo("failed");
        assertThat(failed.get("status").asInt()).isEqualTo(400);
        assertThat(allowed.get("outcome").asText()).isEqualTo("allowed");
        assertThat(allowed.get("status").asInt()).isEqualTo(200);
        assertThat(allowed.get("principal").asText()).isEqualTo("local");
        assertThat(allowed.get("workspace").asText()).isEqualTo("default");
        assertThat(allowed.get("action").asText()).isEqualTo("POST /api/2.0/mlflow/experiments/create");
        assertThat(allowed.get("client_address").asText()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(allowed.get("time").asLong()).isLessThanOrEqualTo(failed.get("time").asLong());
    }

    @Test
    void logBatchOfAnotherWorkspaceIsRecordedWithTheRouteTemplateAsAction() {
        http.post("/api/v1/workspaces", Map.of("name", "audit-ingest"));
        String runId = http.post("/w/audit-ingest/api/2.0/mlflow/runs/create", Map.of("experiment_id", "0"))
                .json().at("/run/info/run_id").asText();
        assertThat(http.post("/w/audit-ingest/api/2.0/mlflow/runs/log-batch", Map.of("run_id", runId,
                "metrics", List.of(Map.of("key", "loss", "value", 0.5, "timestamp", 1, "step", 0)))).status()).isEqualTo(200);

        List<JsonNode> events = eventsWithTarget("/w/audit-ingest/api/2.0/mlflow/runs/log-batch");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("action").asText()).isEqualTo("POST /api/2.0/mlflow/runs/log-batch");
        assertThat(events.get(0).get("workspace").asText()).isEqualTo("audit-ingest");
        assertThat(http.get("/w/audit-ingest/api/v1/audit").json().get("events").toString())
                .contains("log-batch").doesNotContain("experiments/create\"");
    }

    @Test
    void secretValueReadsAreRecordedButPlainReadsAreNot() {
        http.post("/api/v1/secrets", Map.of("name", "audited-secret", "value", "audited-value"));
        http.get("/api/v1/secrets/audited-secret");
        http.get("/api/v1/secrets");
        http.get("/api/v1/secrets/audited-secret/value");
        http.get("/api/v1/secrets/no-such-secret/value");

        assertThat(eventsWithTarget("/api/v1/secrets/audited-secret")).isEmpty();
        assertThat(eventsWithTarget("/api/v1/secrets")).extracting(event -> event.get("action").asText())
                .containsExactly("POST /api/v1/secrets");
        List<JsonNode> reads = eventsWithTarget("/api/v1/secrets/audited-secret/value");
        assertThat(reads).hasSize(1);
        assertThat(reads.get(0).get("action").asText()).isEqualTo("GET /api/v1/secrets/{name}/value");
        assertThat(reads.get(0).get("outcome").asText()).isEqualTo("allowed");
        JsonNode missing = eventsWithTarget("/api/v1/secrets/no-such-secret/value").get(0);
        assertThat(missing.get("outcome").asText()).isEqualTo("failed");
        assertThat(missing.get("status").asInt()).isEqualTo(404);
        assertThat(allEvents().toString()).doesNotContain("audited-value");
    }

    @Test
    void workspaceLogShowsOnlyItsWorkspaceAndAdminLogNarrowsByWorkspace() {
        http.post("/api/v1/workspaces", Map.of("name", "audit-left"));
        http.post("/api/v1/workspaces", Map.of("name", "audit-right"));
        http.post("/w/audit-left/api/v1/secrets", Map.of("name", "s", "value", "v"));
        http.post("/w/audit-right/api/v1/secrets", Map.of("name", "s", "value", "v"));

        JsonNode left = http.get("/w/audit-left/api/v1/audit").json().get("events");
        assertThat(left).isNotEmpty().allSatisfy(event -> assertThat(event.get("workspace").asText()).isEqualTo("audit-left"));
        JsonNode right = http.get("/api/v1/admin/audit?workspace=audit-right").json().get("events");
        assertThat(right).isNotEmpty().allSatisfy(event -> assertThat(event.get("workspace").asText()).isEqualTo("audit-right"));
        JsonNode creation = http.get("/api/v1/admin/audit?max_results=1000").json().get("events");
        assertThat(creation.toString()).contains("\"target\":\"/api/v1/workspaces\"");
        assertThat(http.get("/api/v1/admin/audit?principal=nobody").json().path("events")).isEmpty();
        assertThat(http.get("/api/v1/admin/audit?principal=local").json().get("events")).isNotEmpty();
    }

    @Test
    void pagesWalkTheLogNewestFirstWithoutRepeatsWhileNewEventsArrive() throws InterruptedException {
        http.post("/api/v1/workspaces", Map.of("name", "audit-paging"));
        long since = System.currentTimeMillis();
        for (int i = 0; i < 7; i++) {
            http.post("/w/audit-paging/api/v1/secrets", Map.of("name", "paged-" + i, "value", "v"));
            Thread.sleep(2);
        }

        List<String> ids = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            JsonNode page = http.get("/w/audit-paging/api/v1/audit?max_results=3&since=" + since + "&page_token=" + token).json();
            page.get("events").forEach(event -> {
                ids.add(event.get("id").asText());
                targets.add(event.get("target").asText());
                times.add(event.get("time").asLong());
            });
            token = page.path("next_page_token").asText("");
            pages++;
            // An event written between pages (newer than all of them) neither repeats nor shifts the later pages.
            http.post("/w/audit-paging/api/v1/secrets", Map.of("name", "late-" + pages, "value", "v"));
        } while (!token.isEmpty());

        assertThat(pages).isEqualTo(3);
        assertThat(ids).hasSize(7).doesNotHaveDuplicates();
        assertThat(targets).containsOnly("/w/audit-paging/api/v1/secrets");
        assertThat(times).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    }

    @Test
    void sinceAndUntilBoundTheTimeWindow() throws InterruptedException {
        http.post("/api/v1/workspaces", Map.of("name", "audit-window"));
        http.post("/w/audit-window/api/v1/secrets", Map.of("name", "before", "value", "v"));
        Thread.sleep(5);
        long since = System.currentTimeMillis();
        http.post("/w/audit-window/api/v1/secrets", Map.of("name", "inside", "value", "v"));
        Thread.sleep(5);
        long until = System.currentTimeMillis();
        Thread.sleep(5);
        http.send("DELETE", "/w/audit-window/api/v1/secrets/inside", null);

        JsonNode window = http.get("/w/audit-window/api/v1/audit?since=" + since + "&until=" + until).json().get("events");
        assertThat(window).hasSize(1);
        assertThat(window.get(0).get("action").asText()).isEqualTo("POST /api/v1/secrets");
        assertThat(http.get("/w/audit-window/api/v1/audit?since=" + until).json().get("events"))
                .extracting(event -> event.get("action").asText()).containsExactly("DELETE /api/v1/secrets/{name}");
    }

    @Test
    void badQueryParametersAreRefusedNamingTheField() {
        assertThat(http.get("/api/v1/admin/audit?max_results=1001").json().get("message").asText()).contains("'max_results'");
        assertThat(http.get("/api/v1/admin/audit?max_results=0").status()).isEqualTo(400);
        assertThat(http.get("/api/v1/admin/audit?page_token=garbage").json().get("message").asText()).contains("'page_token'");
        assertThat(http.get("/api/v1/admin/audit?since=yesterday").json().get("message").asText()).contains("'since'");
    }

    private static List<JsonNode> eventsWithTarget(String target) {
        List<JsonNode> events = new ArrayList<>();
        allEvents().forEach(event -> {
            if (event.get("target").asText().equals(target)) {
                events.add(event);
            }
        });
        return events;
    }

    private static JsonNode allEvents() {
        return http.get("/api/v1/admin/audit?max_results=1000").json().path("events");
    }
}
