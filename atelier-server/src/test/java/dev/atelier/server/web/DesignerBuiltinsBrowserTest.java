package dev.atelier.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.components.builtin.BuiltinPipelineTest;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.util.Map;

import static dev.atelier.server.web.Browser.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The designer scenario in headless Chromium, in the editor alone: import data → split → train → score → evaluate
 * dragged from the palette of built-in components, connected port to port with the mouse, the data asset chosen from the
 * workspace's list, the target column, split fraction and learner set in the side panel, submitted, every step seen
 * Completed on the canvas and the evaluation's accuracy shown on its box and, with a link to its run, in its panel.
 */
@ExtendWith(Browser.class)
class DesignerBuiltinsBrowserTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void buildsTrainsAndEvaluatesAModelFromThePaletteAlone(ChromeDriver browser) {
        BuiltinPipelineTest.registerCsv(server.http(), "points", BuiltinPipelineTest.points(300));
        browser.get(server.url() + "/designer");
        browser.findElement(By.id("new-draft-name")).clear();
        browser.findElement(By.id("new-draft-name")).sendKeys("points");
        browser.findElement(By.id("new-draft")).click();
        waitFor(browser, () -> browser.getCurrentUrl().contains("/designer/"));
        DesignerCanvas canvas = new DesignerCanvas(browser).ready();

        canvas.drag("import_data:1", 110, 130);
        canvas.drag("split_data:1", 330, 130);
        canvas.drag("train_model:1", 550, 130);
        canvas.drag("score_model:1", 330, 360);
        canvas.drag("evaluate_model:1", 550, 360);
        waitFor(browser, () -> canvas.steps().size() == 5);
        assertThat(canvas.steps()).containsExactly("import_data", "split_data", "train_model", "score_model", "evaluate_model");
        waitFor(browser, () -> browser.findElement(By.id("designer-save")).getText().startsWith("Saved"));
        browser.findElement(By.cssSelector("[data-designer='fit']")).click();   // every port in view, whatever the canvas's size

        canvas.connect("import_data", "output_dataset", "split_data", "dataset");
        waitFor(browser, () -> canvas.edges().size() == 1);
        canvas.connect("split_data", "output_dataset1", "train_model", "dataset");
        waitFor(browser, () -> canvas.edges().size() == 2);
        canvas.connect("train_model", "model", "score_model", "model");
        waitFor(browser, () -> canvas.edges().size() == 3);
        canvas.connect("split_data", "output_dataset2", "score_model", "dataset");
        waitFor(browser, () -> canvas.edges().size() == 4);
        canvas.connect("score_model", "scored_dataset", "evaluate_model", "scored_dataset");
        waitFor(browser, () -> canvas.edges().size() == 5);

        // The data asset from the workspace's list; the parameters from the components' types.
        canvas.click("s:import_data");
        waitFor(browser, () -> {
            new Select(browser.findElement(By.cssSelector("#designer-panel [data-asset='data']"))).selectByValue("azureml:points@latest");
            return true;
        });
        waitFor(browser, () -> canvas.input("import_data", "data") instanceof Map<?, ?> value
                && "azureml:points@latest".equals(value.get("path")) && "uri_file".equals(value.get("type")));
        canvas.click("s:split_data");
        waitFor(browser, () -> {
            WebElement fraction = panelInput(browser, "fraction");
            fraction.clear();
            fraction.sendKeys("0.7", Keys.TAB);
            return true;
        });
        waitFor(browser, () -> Double.valueOf(0.7).equals(number(canvas.input("split_data", "fraction"))));
        canvas.click("s:train_model");
        waitFor(browser, () -> {
            panelInput(browser, "label_column").sendKeys("label", Keys.TAB);
            return true;
        });
        waitFor(browser, () -> "label".equals(canvas.input("train_model", "label_column")));
        waitFor(browser, () -> {
            new Select(panelInput(browser, "algorithm")).selectByValue("random_forest");
            return true;
        });
        waitFor(browser, () -> "random_forest".equals(canvas.input("train_model", "algorithm")));
        waitFor(browser, () -> {
            panelInput(browser, "n_estimators").sendKeys("20", Keys.TAB);
            return true;
        });
        waitFor(browser, () -> Long.valueOf(20).equals(canvas.input("train_model", "n_estimators")));

        waitFor(browser, () -> browser.findElement(By.id("designer-save")).getText().startsWith("Saved"));
        browser.findElement(By.id("designer-submit")).click();
        WebElement job = waitFor(browser, () -> browser.findElement(By.id("designer-job")));
        waitFor(browser, Duration.ofMinutes(4), () -> {
            String status = browser.findElement(By.id("designer-job-status")).getText();
            return status.equals("Completed") || status.equals("Failed") || status.equals("Canceled");
        });
        assertThat(browser.findElement(By.id("designer-job-status")).getText()).as(job.getText()).isEqualTo("Completed");
        assertThat(canvas.statuses()).containsOnly(Map.entry("import_data", "Completed"), Map.entry("split_data", "Completed"),
                Map.entry("train_model", "Completed"), Map.entry("score_model", "Completed"), Map.entry("evaluate_model", "Completed"));

        // The evaluation's metrics: on its box, and in its panel with a link to its run.
        waitFor(browser, () -> label(browser, "evaluate_model").contains("accuracy"));
        canvas.click("s:evaluate_model");
        WebElement accuracy = waitFor(browser, () -> browser.findElement(By.cssSelector("#designer-panel [data-metric='accuracy']")));
        assertThat(Double.parseDouble(accuracy.getText())).isGreaterThan(0.8);
        assertThat(browser.findElement(By.cssSelector("#designer-panel [data-metric='AUC_weighted']")).getText()).isNotBlank();
        String runLink = browser.findElement(By.cssSelector("#designer-panel .step-run-link")).getAttribute("href");
        JsonNode submitted = server.http().get("/api/v1/jobs/" + job.getText()).json();
        String evaluateRun = null;
        for (JsonNode step : submitted.path("steps")) {
            if (step.path("name").asText().equals("evaluate_model")) {
                evaluateRun = step.path("run_id").asText();
            }
        }
        assertThat(runLink).endsWith("/runs/" + evaluateRun);
        assertThat(submitted.at("/spec/jobs/train_model/inputs/label_column").asText()).isEqualTo("label");
    }

    @Test
    void showsEveryStepsMissingInputsAtOnceAndCopiesStepsThroughTheSystemClipboard(ChromeDriver browser) {
        browser.get(server.url() + "/designer");
        browser.findElement(By.id("new-draft-name")).clear();
        browser.findElement(By.id("new-draft-name")).sendKeys("problems");
        browser.findElement(By.id("new-draft")).click();
        waitFor(browser, () -> browser.getCurrentUrl().contains("/designer/"));
        DesignerCanvas canvas = new DesignerCanvas(browser).ready();
        canvas.drag("train_model:1", 150, 120);
        canvas.drag("score_model:1", 500, 120);
        waitFor(browser, () -> canvas.steps().size() == 2);
        browser.findElement(By.id("designer-validate")).click();
        waitFor(browser, () -> canvas.message().startsWith("Invalid"));
        // Both steps are marked, each with all of its missing inputs, not only the server's first error.
        waitFor(browser, () -> errorCount(browser, "train_model") == 2 && errorCount(browser, "score_model") == 2);
        assertThat(canvas.message()).containsPattern("\\d+ problems, marked on 2 steps");
        canvas.click("s:score_model");
        waitFor(browser, () -> browser.findElements(By.cssSelector("#designer-panel .step-error")).size() == 2);
        assertThat(browser.findElement(By.id("designer-panel")).getText())
                .contains("Missing required input 'jobs.score_model.inputs.model'", "Missing required input 'jobs.score_model.inputs.dataset'");

        // Copy: the selected step as JSON on the clipboard event; paste: that JSON, as another tab would put it there.
        String copied = (String) browser.executeScript("""
                var data = new DataTransfer();
                document.dispatchEvent(new ClipboardEvent('copy', {clipboardData: data, bubbles: true, cancelable: true}));
                return data.getData('text/plain');""");
        assertThat(copied).contains("\"atelier_designer_steps\"", "\"name\": \"score_model\"", "azureml:score_model:1");
        String fromElsewhere = copied.replace("score_model\",", "scorer\",");
        browser.executeScript("""
                var data = new DataTransfer();
                data.setData('text/plain', arguments[0]);
                document.body.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));""",
                fromElsewhere);
        waitFor(browser, () -> canvas.steps().contains("scorer"));
        assertThat(canvas.steps()).containsExactly("train_model", "score_model", "scorer");
        browser.executeScript("""
                var data = new DataTransfer();
                data.setData('text/plain', 'not the designer\\'s JSON');
                document.body.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));""");
        waitFor(browser, () -> canvas.steps().size() == 4);
        assertThat(canvas.steps()).as("other text pastes the page's own copy").contains("score_model_2");
    }

    private static long errorCount(ChromeDriver browser, String step) {
        return ((Number) browser.executeScript("return window.atelierDesigner.cy.getElementById('s:' + arguments[0]).data('errors') || 0;",
                step)).longValue();
    }

    private static WebElement panelInput(ChromeDriver browser, String input) {
        return browser.findElement(By.cssSelector("#designer-panel [data-input='" + input + "']"));
    }

    private static String label(ChromeDriver browser, String step) {
        return String.valueOf(browser.executeScript("return window.atelierDesigner.cy.getElementById('s:' + arguments[0]).data('label');", step));
    }

    private static Double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : null;
    }
}
