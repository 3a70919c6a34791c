package dev.atelier.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.batch.BatchFixture;
import dev.atelier.server.serving.ServingFixture;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batch endpoints area in headless Chromium: the list leads to an endpoint's page with its default deployment and
 * its job's progress, whose output link opens the data asset version with its preview.
 */
@ExtendWith(Browser.class)
class BatchBrowserTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void anEndpointPageShowsItsDeploymentsAndJobsAndLinksTheOutput(ChromeDriver browser, @TempDir Path dir) throws Exception {
        BatchFixture batch = new BatchFixture(server.http());
        new ServingFixture(server.http(), dir).registerOnnx("portal-onnx");
        batch.uploadFolder("portal-points", Map.of("a.csv", BatchFixture.points(12, 1)));
        batch.created(batch.postYaml("/api/v1/batch-endpoints", "name: portal-batch\ndescription: scored in the portal test\n"));
        batch.created(batch.postYaml("/api/v1/batch-endpoints/portal-batch/deployments",
                "name: onnx\nmodel: azureml:portal-onnx:1\nsettings:\n  mini_batch_size: 5\n"));
        JsonNode job = batch.invoke("portal-batch", Map.of("input", Map.of("path", "portal-points@latest")));
        assertThat(batch.awaitEnded(job.path("name").asText(), Duration.ofSeconds(90)).path("status").asText()).isEqualTo("Completed");

        browser.get(server.url() + "/");
        browser.findElement(By.cssSelector("a[data-area='batch-endpoints']")).click();
        assertThat(browser.findElement(By.id("batch-endpoints")).getText()).contains("portal-batch", "onnx", "scored in the portal test");
        browser.findElement(By.linkText("portal-batch")).click();
        assertThat(browser.findElement(By.id("default-deployment")).getText()).isEqualTo("onnx");
        assertThat(browser.findElement(By.id("batch-deployments")).getText()).contains("onnx", "portal-onnx 1", "append_row");
        String row = browser.findElement(By.cssSelector("#batch-jobs tr[data-job='" + job.path("name").asText() + "']")).getText();
        assertThat(row).contains("Completed", "3/3 mini-batches done, 0 failed, 0 retried", "data:portal-batch-predictions:1");
        browser.findElement(By.cssSelector("#batch-jobs a.output")).click();
        assertThat(browser.findElement(By.id("preview")).getText()).contains("file", "row", "a.csv");
        browser.get(server.url() + "/jobs/" + job.path("name").asText());
        assertThat(browser.findElement(By.tagName("body")).getText()).contains(job.path("name").asText(), "Completed");
    }
}
