package dev.atelier.server.web;

import dev.atelier.server.serving.ServingFixture;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static dev.atelier.server.web.Browser.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An endpoint's page in headless Chromium: the keys toggle, and the test form sending requests to a
 * real ONNX deployment through the scoring routes (an Open Inference body built from the model's
 * metadata, then Azure's /score through the traffic split), showing status, deployment and answer;
 * and the live charts and drift reports. With {@code -Dportal.screenshots=docs/images} the page is
 * saved as {@code portal-endpoint.png}.
 */
@ExtendWith(Browser.class)
class EndpointBrowserTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    @TempDir
    static Path scratch;

    private static ServingFixture serving;

    @BeforeAll
    static void deploy() throws Exception {
        serving = new ServingFixture(server.http(), scratch);
        serving.registerOnnx("browser-onnx");
        serving.createEndpoint("name: browser-ep\nauth_mode: key\n");
        serving.createDeployment("browser-ep", "name: blue\nmodel: models:/browser-onnx/1\n");
        assertThat(serving.awaitProvisioned("browser-ep", "blue").path("provisioning_state").asText()).isEqualTo("Succeeded");
    }

    @Test
    void theTestFormScoresARealDeployment(ChromeDriver browser) {
        browser.get(server.url() + "/endpoints");
        browser.findElement(By.cssSelector("#endpoints a.endpoint-name")).click();
        waitFor(browser, () -> browser.findElement(By.id("endpoint-name")));
        assertThat(browser.findElement(By.id("primary-key")).isDisplayed()).isFalse();
        browser.findElement(By.id("keys-toggle")).click();
        assertThat(browser.findElement(By.id("primary-key")).getText()).isEqualTo(serving.primaryKey("browser-ep"));

        new Select(browser.findElement(By.id("test-protocol"))).selectByValue("infer");
        new Select(browser.findElement(By.id("test-deployment"))).selectByValue("blue");
        WebElement body = browser.findElement(By.id("test-body"));
        waitFor(browser, () -> body.getDomProperty("value").contains("\"datatype\""));
        browser.findElement(By.id("test-send")).click();
        WebElement result = waitFor(browser, () -> browser.findElement(By.cssSelector("#test-result[data-status]")));
        assertThat(result.getAttribute("data-status")).as(browser.findElement(By.id("test-answer")).getText()).isEqualTo("200");
        assertThat(browser.findElement(By.id("test-answered-by")).getText()).isEqualTo("blue");
        assertThat(browser.findElement(By.id("test-answer")).getText()).contains("\"outputs\"");

        new Select(browser.findElement(By.id("test-protocol"))).selectByValue("score");
        new Select(browser.findElement(By.id("test-deployment"))).selectByValue("");
        waitFor(browser, () -> body.getDomProperty("value").contains("\"data\""));
        browser.executeScript("document.getElementById('test-result').removeAttribute('data-status')");
        browser.findElement(By.id("test-send")).click();
        WebElement scored = waitFor(browser, () -> browser.findElement(By.cssSelector("#test-result[data-status]")));
        assertThat(scored.getAttribute("data-status")).as(browser.findElement(By.id("test-answer")).getText()).isEqualTo("200");
        assertThat(browser.findElement(By.id("test-answered-by")).getText()).isEqualTo("blue");

    }

    /**
     * The charts and drift reports from answers shaped as the monitoring API gives them, served by a
     * stand-in for {@code fetch} (the monitoring routes are another branch's); without them the page
     * says there is nothing yet.
     */
    @Test
    void chartsAndDriftReportsAreDrawnFromTheMonitoringApi(ChromeDriver browser) {
        browser.get(server.url() + "/endpoints/browser-ep");
        WebElement metricsNote = waitFor(browser, () -> browser.findElement(By.id("metrics-empty")));
        waitFor(browser, () -> !metricsNote.getText().startsWith("Loading") || browser.findElement(By.id("metrics-charts")).isDisplayed());
        waitFor(browser, () -> !browser.findElement(By.id("drift-empty")).getText().startsWith("Loading"));

        browser.executeScript("""
                var now = Date.now();
                var answers = {
                  metrics: {points: [
                    {time: now - 120000, requests: 40, errors: 1, latency_p50_ms: 0.4, latency_p90_ms: 0.9, latency_p99_ms: 2.5},
                    {time: now - 60000, requests: 55, errors: 0, latency_p50_ms: 0.5, latency_p90_ms: 1.1, latency_p99_ms: 3.0}]},
                  drift: {drift_reports: [{id: "r1", endpoint: "browser-ep", reference: "data:<iris>:1", from: now - 3600000, to: now,
                    reference_rows: 150, current_rows: 95, drift_detected: true, features: [
                      {name: "<b>petal</b>", kind: "numeric", psi: 0.41, test: "ks", p_value: 0.001, drifted: true},
                      {name: "sepal", kind: "numeric", psi: 0.02, test: "ks", p_value: 0.7, drifted: false}]}]}
                };
                var realFetch = window.fetch;
                window.fetch = function (url, options) {
                  var kind = url.indexOf("/metrics?") >= 0 ? "metrics" : url.endsWith("/drift-reports") ? "drift" : null;
                  if (!kind) { return realFetch(url, options); }
                  return Promise.resolve(new Response(JSON.stringify(answers[kind]), {status: 200, headers: {"Content-Type": "application/json"}}));
                };
                atelierEndpoints.refreshMetrics();
                atelierEndpoints.loadDrift();
                """);
        WebElement charts = waitFor(browser, () -> browser.findElement(By.cssSelector("#metrics-charts[data-points='2']")));
        assertThat(charts.isDisplayed()).isTrue();
        assertThat(browser.findElements(By.cssSelector("#metrics-charts .uplot"))).hasSize(2);
        WebElement drifted = waitFor(browser, () -> browser.findElement(By.cssSelector("#drift-reports tr.drifted")));
        assertThat(drifted.getAttribute("data-feature")).isEqualTo("<b>petal</b>");
        assertThat(drifted.getText()).contains("<b>petal</b>", "0.410", "0.00100", "yes");
        assertThat(browser.findElement(By.cssSelector("#drift-reports tr[data-feature='sepal']")).getAttribute("class")).isEmpty();
        assertThat(browser.findElement(By.cssSelector("#drift-reports h3")).getText()).contains("Drift detected", "data:<iris>:1");
        if (System.getProperty("portal.screenshots") != null) {
            browser.findElement(By.id("test-send")).click();
            waitFor(browser, () -> browser.findElement(By.cssSelector("#test-result[data-status]")));
        }
        screenshot(browser, "endpoint");
    }

    /** Saves the whole page as {@code <dir>/portal-<name>.png} when -Dportal.screenshots=<dir> is set. */
    private static void screenshot(ChromeDriver browser, String name) {
        String folder = System.getProperty("portal.screenshots");
        if (folder == null || folder.isBlank()) {
            return;
        }
        try {
            Path target = Path.of(folder).resolve("portal-" + name + ".png");
            Files.createDirectories(target.getParent());
            Dimension window = browser.manage().window().getSize();
            Number height = (Number) browser.executeScript("return document.documentElement.scrollHeight");
            browser.manage().window().setSize(new Dimension(window.getWidth(), Math.min(2400, height.intValue() + 140)));
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            browser.manage().window().setSize(window);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
