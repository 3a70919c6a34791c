package dev.atelier.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.atelier.server.designer.DesignerFixtures;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static dev.atelier.server.web.Browser.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The designer's editor of the pipeline's own inputs and outputs, in headless Chromium: a draft's inputs (a literal, data)
 * and outputs shown in the side panel; an input renamed (the step reading it follows), its value set, one added with a
 * type and read by a step's input, one removed; an output added and bound to a step's output; and the exported YAML
 * holds every change and every field the panel does not show.
 */
@ExtendWith(Browser.class)
class DesignerPipelineIoBrowserTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final YAMLMapper YAML = new YAMLMapper();

    @BeforeAll
    static void components() {
        DesignerFixtures.registerComponents(server.http(), "");
    }

    @Test
    void editsThePipelinesInputsAndOutputsAndTheExportedYamlKeepsThem(ChromeDriver browser) throws IOException {
        HttpJson http = server.http();
        String pipeline = """
                type: pipeline
                description: inputs and outputs
                inputs:
                  rows: 7
                  raw: {type: uri_folder, path: "azureml:raw@latest", mode: download}
                outputs:
                  report: {type: uri_folder, name: counts}
                jobs:
                  make:
                    type: command
                    component: azureml:make_table:1
                    inputs: {rows: "${{parent.inputs.rows}}"}
                  count:
                    type: command
                    component: azureml:count_rows:1
                    inputs: {data: "${{parent.jobs.make.outputs.data}}"}
                    outputs: {report: "${{parent.outputs.report}}"}
                """;
        HttpJson.Response created = http.post("/api/v1/designer/drafts", Map.of("name", "io", "document", Map.of(
                "pipeline", YAML.readValue(pipeline, Map.class),
                "layout", Map.of("make", Map.of("x", 100, "y", 100), "count", Map.of("x", 400, "y", 100)))));
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        String id = created.json().path("id").asText();
        browser.get(server.url() + "/designer/" + id);
        DesignerCanvas canvas = new DesignerCanvas(browser).ready();

        // Shown as the document has them.
        assertThat(waitFor(browser, () -> field(browser, "input", "rows", "value")).getAttribute("value")).isEqualTo("7");
        assertThat(new Select(field(browser, "input", "rows", "type")).getFirstSelectedOption().getAttribute("value")).isEqualTo("integer");
        assertThat(field(browser, "input", "raw", "value").getAttribute("value")).isEqualTo("azureml:raw@latest");
        assertThat(new Select(field(browser, "output", "report", "from")).getFirstSelectedOption().getAttribute("value")).isEqualTo("count.report");
        assertThat(field(browser, "output", "report", "asset").getAttribute("value")).isEqualTo("counts");

        // Renamed: the step reading it follows; then a new value.
        type(browser, () -> field(browser, "input", "rows", "name"), "n_rows");
        waitFor(browser, () -> "${{parent.inputs.n_rows}}".equals(canvas.input("make", "rows")));
        type(browser, () -> field(browser, "input", "n_rows", "value"), "12");
        waitFor(browser, () -> Long.valueOf(12).equals(pipelineInput(browser, "n_rows")));
        type(browser, () -> field(browser, "input", "n_rows", "value"), "1.5");   // not an integer: refused
        waitFor(browser, () -> "true".equals(field(browser, "input", "n_rows", "value").getAttribute("aria-invalid")));
        assertThat(pipelineInput(browser, "n_rows")).isEqualTo(12L);

        // Added, typed, given a value, and read by a step's input.
        clickUntil(browser, By.id("pipeline-add-input"), "[data-pipeline-input='input1']", true);
        waitFor(browser, () -> {
            new Select(field(browser, "input", "input1", "type")).selectByValue("number");
            return true;
        });
        // 0 as a plain literal would read back as an integer: written with its type.
        waitFor(browser, () -> Map.of("type", "number", "default", 0L).equals(pipelineInput(browser, "input1")));
        type(browser, () -> field(browser, "input", "input1", "value"), "2.5");
        waitFor(browser, () -> Map.of("type", "number", "default", 2.5).equals(pipelineInput(browser, "input1")));
        canvas.click("s:count");
        waitFor(browser, () -> {
            new Select(browser.findElement(By.cssSelector("#designer-panel [data-bind-input='scale']"))).selectByValue("input1");
            return true;
        });
        waitFor(browser, () -> "${{parent.inputs.input1}}".equals(canvas.input("count", "scale")));
        clickBackground(browser);

        // Removed: gone from the document.
        clickUntil(browser, By.cssSelector("#designer-panel [data-pipeline-input='raw'] [data-field='remove']"),
                "[data-pipeline-input='raw']", false);

        // An output added and bound to a step's output, registered under a name.
        clickUntil(browser, By.id("pipeline-add-output"), "[data-pipeline-output='output1']", true);
        waitFor(browser, () -> {
            new Select(field(browser, "output", "output1", "from")).selectByValue("make.data");
            return true;
        });
        waitFor(browser, () -> canvasOutput(browser, "make", "data") != null);
        type(browser, () -> field(browser, "output", "output1", "asset"), "tables");
        String export = "/api/v1/designer/drafts/" + id + "/pipeline";
        waitFor(browser, () -> http.get(export).text().contains("tables"));   // saved by itself

        String exported = http.get(export).text();
        assertThat(YAML.readTree(exported)).isEqualTo(YAML.readTree("""
                type: pipeline
                description: inputs and outputs
                inputs:
                  n_rows: 12
                  input1: {type: number, default: 2.5}
                outputs:
                  report: {type: uri_folder, name: counts}
                  output1: {type: uri_folder, name: tables}
                jobs:
                  make:
                    type: command
                    component: azureml:make_table:1
                    inputs: {rows: "${{parent.inputs.n_rows}}"}
                    outputs: {data: "${{parent.outputs.output1}}"}
                  count:
                    type: command
                    component: azureml:count_rows:1
                    inputs: {data: "${{parent.jobs.make.outputs.data}}", scale: "${{parent.inputs.input1}}"}
                    outputs: {report: "${{parent.outputs.report}}"}
                """));
        assertThat(canvas.edges()).hasSize(1);
        assertThat(List.of(exported.split("\n"))).noneMatch(line -> line.contains("raw"));
    }

    private static WebElement field(ChromeDriver browser, String kind, String name, String field) {
        return browser.findElement(By.cssSelector("#designer-panel [data-pipeline-" + kind + "='" + name + "'] [data-field='" + field + "']"));
    }

    /** Replaces a text field's value and leaves it (its change event); again if the panel was redrawn meanwhile. */
    private static void type(ChromeDriver browser, Supplier<WebElement> input, String text) {
        waitFor(browser, () -> {
            input.get().sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE, text, Keys.TAB);
            return true;
        });
    }

    private static Object pipelineInput(ChromeDriver browser, String name) {
        return browser.executeScript("return (window.atelierDesigner.document().pipeline.inputs || {})[arguments[0]];", name);
    }

    private static Object canvasOutput(ChromeDriver browser, String step, String output) {
        return browser.executeScript("var s = window.atelierDesigner.document().pipeline.jobs[arguments[0]];"
                + " return s.outputs ? s.outputs[arguments[1]] : null;", step, output);
    }

    /** Clicks a panel button once, again only if the panel was redrawn under the click, until the row is there (or gone). */
    private static void clickUntil(ChromeDriver browser, By button, String row, boolean present) {
        waitFor(browser, () -> {
            if (browser.findElements(By.cssSelector(row)).isEmpty() != present) {
                return true;
            }
            browser.findElement(button).click();
            return browser.findElements(By.cssSelector(row)).isEmpty() != present;
        });
    }

    /** A click on the canvas's empty corner: no step selected, the panel shows the pipeline. */
    private static void clickBackground(ChromeDriver browser) {
        WebElement canvas = browser.findElement(By.id("designer-canvas"));
        new Actions(browser).moveToElement(canvas, -canvas.getSize().getWidth() / 2 + 8, -canvas.getSize().getHeight() / 2 + 8)
                .click().perform();
        waitFor(browser, () -> !browser.findElements(By.id("pipeline-add-input")).isEmpty());
    }
}
