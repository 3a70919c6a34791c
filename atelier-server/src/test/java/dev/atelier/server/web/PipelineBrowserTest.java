package dev.atelier.server.web;

import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.atelier.server.web.Browser.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pipeline's page in headless Chromium: the Pipelines area lists it, its page draws the steps (cytoscape) and their
 * table, both following the steps' live status, and a resubmitted pipeline shows its steps Reused.
 */
@ExtendWith(Browser.class)
class PipelineBrowserTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static String pipeline(String name) {
        return """
                type: pipeline
                name: %s
                jobs:
                  prepare:
                    command: mkdir -p ${{outputs.data}} && echo ready > ${{outputs.data}}/state.txt
                    outputs:
                      data:
                  slow:
                    command: sleep 6 && cat ${{inputs.data}}/state.txt
                    inputs:
                      data: ${{parent.jobs.prepare.outputs.data}}
                  quick:
                    command: cat ${{inputs.data}}/state.txt
                    inputs:
                      data: ${{parent.jobs.prepare.outputs.data}}
                """.formatted(name);
    }

    @Test
    void pipelinePageDrawsEachStepWithItsLiveStatus(ChromeDriver browser) {
        JobsData jobs = new JobsData(server.http());
        jobs.submit("", pipeline("drawn"));
        awaitStep(jobs, "drawn", "slow", "Running");

        browser.get(server.url() + "/pipelines");
        assertThat(browser.findElement(By.id("jobs")).getText()).contains("drawn");
        browser.findElement(By.linkText("drawn")).click();
        waitFor(browser, () -> stepStatuses(browser).get("slow") != null);
        assertThat(stepStatuses(browser)).containsEntry("prepare", "Completed").containsEntry("slow", "Running");
        waitFor(browser, () -> "Completed".equals(graphStatuses(browser).get("slow")));
        assertThat(graphStatuses(browser)).containsOnly(Map.entry("prepare", "Completed"), Map.entry("slow", "Completed"),
                Map.entry("quick", "Completed"));
        assertThat(stepStatuses(browser)).containsOnly(Map.entry("prepare", "Completed"), Map.entry("slow", "Completed"),
                Map.entry("quick", "Completed"));
        waitFor(browser, () -> browser.findElement(By.id("job-status")).getText().equals("Completed"));
        assertThat(edges(browser)).containsExactlyInAnyOrder("prepare->quick", "prepare->slow");
        WebElement slowJob = browser.findElement(By.cssSelector("tr[data-step='slow'] a[href$='/jobs/drawn-slow']"));
        slowJob.click();
        waitFor(browser, () -> browser.findElement(By.id("job-logs")).getText().contains("ready"));

        jobs.submit("", pipeline("again"));
        jobs.await("", "again", "Completed");
        browser.get(server.url() + "/jobs/again");
        waitFor(browser, () -> "Reused".equals(stepStatuses(browser).get("quick")));
        assertThat(stepStatuses(browser).values()).containsOnly("Reused");
        assertThat(browser.findElement(By.cssSelector("tr[data-step='slow']")).getText()).contains("reused from", "drawn-slow");
        assertThat(browser.findElement(By.id("pipeline-error")).getText()).isEmpty();
    }

    /** Polls the pipeline until its step has the status (the step's job does not exist before the step is queued). */
    private static void awaitStep(JobsData jobs, String pipeline, String step, String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            for (var node : jobs.job("", pipeline).path("steps")) {
                if (node.path("name").asText().equals(step) && node.path("status").asText().equals(status)) {
                    return;
                }
            }
            assertThat(System.nanoTime()).as("step %s of %s never %s", step, pipeline, status).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static Map<String, String> stepStatuses(ChromeDriver browser) {
        return browser.findElements(By.cssSelector("#pipeline-steps-body tr")).stream().collect(Collectors.toMap(
                row -> row.getAttribute("data-step"), row -> row.findElement(By.cssSelector(".step-status")).getText()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> graphStatuses(ChromeDriver browser) {
        Object nodes = browser.executeScript("return window.atelierPipelineGraph ? window.atelierPipelineGraph.nodes()"
                + ".map(function (n) { return [n.id(), n.data('status')]; }) : [];");
        return ((List<List<String>>) nodes).stream().collect(Collectors.toMap(List::getFirst, List::getLast));
    }

    @SuppressWarnings("unchecked")
    private static List<String> edges(ChromeDriver browser) {
        return (List<String>) browser.executeScript("return window.atelierPipelineGraph.edges().map(function (e) { return e.id(); });");
    }
}
