package dev.atelier.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import dev.atelier.server.testing.WireReplay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.atelier.server.web.Browser.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Traces in headless Chromium: a trace written over MLflow's API, with the spans file MLflow 2.22's client uploaded
 * in the recorded exchanges (three nested spans), is listed on its experiment's Traces tab, and its page shows the
 * span tree with each span's inputs and outputs.
 */
@ExtendWith(Browser.class)
class TraceBrowserTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void anExperimentsTraceShowsItsSpanTree(ChromeDriver browser) {
        HttpJson http = server.http();
        String experimentId = http.post("/api/2.0/mlflow/experiments/create", Map.of("name", "genai")).json()
                .get("experiment_id").asText();
        JsonNode info = http.post("/api/2.0/mlflow/traces", Map.of("experiment_id", experimentId, "timestamp_ms", 1_796_617_630_321L,
                "tags", List.of(Map.of("key", "mlflow.traceName", "value", "answer_question"), Map.of("key", "env", "value", "test"))))
                .json().get("trace_info");
        String requestId = info.get("request_id").asText();
        HttpJson.Response upload = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/2.0/mlflow-artifacts/artifacts/"
                        + experimentId + "/traces/" + requestId + "/artifacts/traces.json"))
                .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofByteArray(recordedSpans())).build());
        assertThat(upload.status()).isEqualTo(200);
        assertThat(http.send("PATCH", "/api/2.0/mlflow/traces/" + requestId, Map.of("request_id", requestId,
                "timestamp_ms", 1_796_617_630_784L, "status", "OK")).status()).isEqualTo(200);

        browser.get(server.url() + "/experiments/" + experimentId);
        browser.findElement(By.cssSelector("nav.tabs a[data-tab='traces']")).click();
        WebElement row = waitFor(browser, () -> browser.findElement(By.cssSelector("#traces tr[data-request-id='" + requestId + "']")));
        assertThat(row.getText()).contains("answer_question", "OK", "463 ms", "env=test");
        row.findElement(By.tagName("a")).click();
        waitFor(browser, () -> browser.findElements(By.cssSelector("#spans details.span")).size() == 3);
        List<String> names = browser.findElements(By.cssSelector("#spans details.span")).stream()
                .map(span -> span.getAttribute("data-span")).toList();
        assertThat(names).as("the root first, its children after it").containsExactly("answer_question", "retrieve", "generate");
        WebElement retrieve = browser.findElement(By.cssSelector("#spans details.span[data-span='retrieve']"));
        assertThat(retrieve.getText()).contains("RETRIEVER");
        retrieve.findElement(By.tagName("summary")).click();
        assertThat(waitFor(browser, () -> retrieve.findElement(By.cssSelector("pre.span-inputs"))).getText()).contains("what is atelier?");
        assertThat(retrieve.findElement(By.cssSelector("pre.span-outputs")).getText()).contains("doc-a");
        assertThat(browser.findElement(By.id("trace-status")).getText()).isEqualTo("OK");
    }

    /** The traces.json of the first trace MLflow 2.22's client uploaded in the recording (seq 5). */
    private static byte[] recordedSpans() {
        JsonNode upload = WireReplay.exchanges("/mlflow-wire/genai-exchanges.jsonl").stream()
                .filter(exchange -> exchange.get("seq").asInt() == 5).findFirst().orElseThrow();
        return Base64.getDecoder().decode(upload.get("request_body").get("base64").asText());
    }
}
