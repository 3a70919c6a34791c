package dev.atelier.server.web;

import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.chrome.ChromeDriver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.atelier.server.web.Browser.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A measurement, not a test (its name keeps it out of the suite; it asserts no time): a draft of 200 steps, a chain
 * each reading the previous one's output, opened in headless Chromium five times; "open" is from the navigation's start
 * to the graph painted (designer.js sets {@code atelierDesigner.ready} two animation frames after drawing), so it
 * counts the page, the scripts, reading the draft and the components, and drawing. Then the mean frame time of 120
 * {@code panBy} calls, one per animation frame. Where the time goes: the page's own marks ({@code designer:read},
 * {@code designer:built}, {@code designer:painted}) read back from its performance timeline, and the renderer's CPU time
 * from Chrome's DevTools protocol ({@code Performance.getMetrics} in thread time: script, style, layout, all tasks) over
 * each open. Run it with
 * {@code ./mvnw -B -o -pl atelier-server verify -Dtest=DesignerOpenBench -Dsurefire.failIfNoSpecifiedTests=false}
 * and read the figures on standard output.
 */
@ExtendWith(Browser.class)
class DesignerOpenBench {
    private static final int STEPS = 200;
    private static final int SAMPLES = 5;

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void opensA200StepDraft(ChromeDriver browser) {
        HttpJson http = server.http();
        assertThat(http.post("/api/v1/components", Map.of("name", "step", "version", "1",
                "command", "mkdir -p ${{outputs.out}} ${{outputs.report}} && ls ${{inputs.data}} && echo ${{inputs.rows}} ${{inputs.label}}",
                "inputs", Map.of("data", Map.of("type", "uri_folder"), "rows", Map.of("type", "integer", "default", 1),
                        "label", Map.of("type", "string", "default", "x")),
                "outputs", Map.of("out", Map.of("type", "uri_folder"), "report", Map.of("type", "uri_folder")))).status()).isEqualTo(200);
        Map<String, Object> jobs = new LinkedHashMap<>();
        for (int i = 0; i < STEPS; i++) {
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("rows", i);
            if (i > 0) {
                inputs.put("data", "${{parent.jobs.s" + (i - 1) + ".outputs.out}}");
            }
            jobs.put("s" + i, Map.of("type", "command", "component", "azureml:step:1", "inputs", inputs));
        }
        HttpJson.Response created = http.post("/api/v1/designer/drafts", Map.of("name", "bench",
                "document", Map.of("pipeline", Map.of("type", "pipeline", "jobs", jobs))));
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        String url = server.url() + "/designer/" + created.json().path("id").asText();

        browser.executeCdpCommand("Performance.enable", Map.of("timeDomain", "threadTicks"));
        long firstOpen = open(browser, url);  // without a layout: dagre lays it out, the editor saves it
        waitFor(browser, () -> ((Number) browser.executeScript("return window.atelierDesigner.version();")).intValue() >= 2);
        List<Long> times = new ArrayList<>();
        List<String> costs = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            browser.get(server.url() + "/designer");   // the same site: the same renderer, so its counters go on
            Map<String, Double> before = metrics(browser);
            times.add(open(browser, url));
            Map<String, Double> after = metrics(browser);
            costs.add(String.format("CPU ms: script %.0f, style %.0f, layout %.0f, all tasks %.0f; marks %s",
                    delta(before, after, "ScriptDuration"), delta(before, after, "RecalcStyleDuration"),
                    delta(before, after, "LayoutDuration"), delta(before, after, "TaskDuration"),
                    browser.executeScript("return performance.getEntriesByType('mark').filter(function (m) {"
                            + " return m.name.indexOf('designer:') === 0; }).map(function (m) { return m.name.substring(9) + ' '"
                            + " + Math.round(m.startTime); }).join(', ');")));
        }
        costs.forEach(cost -> System.out.println("DESIGNER BENCH: an open's " + cost));
        double frame = ((Number) browser.executeAsyncScript("""
                var done = arguments[arguments.length - 1], cy = window.atelierDesigner.cy, frames = 120, start = 0;
                function step(now) {
                  if (start === 0) { start = now; }
                  cy.panBy({x: 4, y: 2});
                  frames -= 1;
                  if (frames > 0) { window.requestAnimationFrame(step); } else { done((now - start) / 119); }
                }
                window.requestAnimationFrame(step);
                """)).doubleValue();
        Object parts = browser.executeScript("var n = performance.getEntriesByType('navigation')[0];"
                + " return 'response end ' + Math.round(n.responseEnd) + ' ms, DOMContentLoaded ' + Math.round(n.domContentLoadedEventEnd)"
                + " + ' ms, editor ' + Math.round(window.atelierDesigner.openedMs) + ' ms (reading the draft and components '"
                + " + Math.round(window.atelierDesigner.readMs) + ' ms, building the graph ' + Math.round(window.atelierDesigner.drawMs)"
                + " + ' ms, then painting)';");
        System.out.println("DESIGNER BENCH: the last open: " + parts);
        List<Long> sorted = times.stream().sorted().toList();
        System.out.printf("DESIGNER BENCH: %d-step draft, first open (dagre layout) %d ms; laid out, %d opens: p50 %d ms, max %d ms;"
                        + " panning %.1f ms a frame%n", STEPS, firstOpen, SAMPLES, sorted.get(SAMPLES / 2), sorted.getLast(), frame);
    }

    /** The renderer's counters (Performance.getMetrics), in the time domain Performance.enable chose. */
    @SuppressWarnings("unchecked")
    private static Map<String, Double> metrics(ChromeDriver browser) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (Object item : (List<Object>) browser.executeCdpCommand("Performance.getMetrics", Map.of()).get("metrics")) {
            Map<String, Object> metric = (Map<String, Object>) item;
            values.put((String) metric.get("name"), ((Number) metric.get("value")).doubleValue());
        }
        return values;
    }

    /** Milliseconds a counter grew by (counters in seconds). */
    private static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
        return 1000 * (after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0));
    }

    /** Milliseconds from the navigation's start to the graph painted. */
    private static long open(ChromeDriver browser, String url) {
        browser.get(url);
        Number drawn = waitFor(browser, Duration.ofSeconds(60), () -> (Number) browser.executeScript(
                "return window.atelierDesigner && window.atelierDesigner.ready ? window.atelierDesigner.drawnAt : null;"));
        return Math.round(drawn.doubleValue());
    }
}
