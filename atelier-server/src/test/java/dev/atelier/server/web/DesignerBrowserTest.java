package dev.atelier.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.atelier.server.designer.DesignerFixtures;
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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static dev.atelier.server.web.Browser.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The designer in headless Chromium: components dragged from the palette, ports connected with the mouse (an
 * incompatible connection refused), parameters set in the side panel, delete / undo / redo / copy / paste from the
 * keyboard, the draft saved by itself, submitted, every step seen completing on the canvas, and the pipeline opened
 * again as a new draft from its page; a pipeline YAML imported and exported unchanged.
 */
@ExtendWith(Browser.class)
class DesignerBrowserTest {
    /** The palette entries of the components this test registers (the workspace's built-in ones are there too). */
    private static final String OWN_ITEMS = ".palette-item[data-component^='make_table:'], .palette-item[data-component^='count_rows:'], "
            + ".palette-item[data-component^='one_file:']";

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final YAMLMapper YAML = new YAMLMapper();

    @BeforeAll
    static void components() {
        DesignerFixtures.registerComponents(server.http(), "");
    }

    @Test
    void buildsConnectsSetsParametersSubmitsAndWatchesEveryStepComplete(ChromeDriver browser) {
        browser.get(server.url() + "/designer");
        browser.findElement(By.id("new-draft-name")).clear();
        browser.findElement(By.id("new-draft-name")).sendKeys("counting");
        browser.findElement(By.id("new-draft")).click();
        waitFor(browser, () -> browser.getCurrentUrl().contains("/designer/"));
        DesignerCanvas canvas = new DesignerCanvas(browser).ready();
        // The test's components in their categories, beside the workspace's built-in ones.
        assertThat(browser.findElement(By.id("palette-groups")).getText()).contains("DATA INPUT", "STATISTICS", "MODEL TRAINING");
        browser.findElement(By.id("palette-search")).sendKeys("count_rows");
        waitFor(browser, () -> browser.findElements(By.cssSelector(".palette-item")).size() == 1);
        browser.findElement(By.id("palette-search")).sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        waitFor(browser, () -> browser.findElements(By.cssSelector(OWN_ITEMS)).size() == 3);

        canvas.drag("make_table:1", 150, 150);
        canvas.drag("count_rows:1", 520, 150);
        canvas.drag("one_file:1", 150, 330);
        waitFor(browser, () -> canvas.steps().size() == 3);
        assertThat(canvas.steps()).containsExactly("make_table", "count_rows", "one_file");

        canvas.connect("one_file", "file", "count_rows", "data");
        // Read once: the draft's autosave validates and may replace the message right after.
        String refused = waitFor(browser, () -> {
            String message = canvas.message();
            return message.startsWith("Refused") ? message : null;
        });
        assertThat(refused).contains("uri_file", "uri_folder");
        assertThat(canvas.edges()).isEmpty();
        assertThat(canvas.input("count_rows", "data")).isNull();

        canvas.connect("make_table", "data", "count_rows", "data");
        waitFor(browser, () -> canvas.edges().size() == 1);
        assertThat(canvas.input("count_rows", "data")).isEqualTo("${{parent.jobs.make_table.outputs.data}}");

        // Parameters from the component's types: an integer with a range, an enum, a number.
        canvas.click("s:make_table");
        assertThat(waitFor(browser, () -> panelInput(browser, "rows").getAttribute("max"))).isEqualTo("1000");
        waitFor(browser, () -> {
            panelInput(browser, "rows").sendKeys("5000", Keys.TAB);
            return true;
        });
        waitFor(browser, () -> canvas.message().contains("between"));
        assertThat(canvas.input("make_table", "rows")).isNull();
        waitFor(browser, () -> {
            WebElement rows = panelInput(browser, "rows");
            rows.clear();
            rows.sendKeys("5", Keys.TAB);
            return true;
        });
        waitFor(browser, () -> Long.valueOf(5).equals(canvas.input("make_table", "rows")));
        canvas.click("s:count_rows");
        waitFor(browser, () -> {
            new Select(panelInput(browser, "label")).selectByValue("lines");
            return true;
        });
        waitFor(browser, () -> "lines".equals(canvas.input("count_rows", "label")));
        waitFor(browser, () -> {
            panelInput(browser, "scale").sendKeys("2", Keys.TAB);
            return true;
        });
        waitFor(browser, () -> Long.valueOf(2).equals(canvas.input("count_rows", "scale")));

        // Keyboard: delete, undo, redo, copy, paste.
        canvas.click("s:one_file");
        new Actions(browser).sendKeys(Keys.DELETE).perform();
        waitFor(browser, () -> canvas.steps().size() == 2);
        new Actions(browser).keyDown(Keys.CONTROL).sendKeys("z").keyUp(Keys.CONTROL).perform();
        waitFor(browser, () -> canvas.steps().contains("one_file"));
        new Actions(browser).keyDown(Keys.CONTROL).sendKeys("y").keyUp(Keys.CONTROL).perform();
        waitFor(browser, () -> !canvas.steps().contains("one_file"));
        canvas.click("s:make_table");
        new Actions(browser).keyDown(Keys.CONTROL).sendKeys("c").keyUp(Keys.CONTROL).keyDown(Keys.CONTROL).sendKeys("v")
                .keyUp(Keys.CONTROL).perform();
        waitFor(browser, () -> canvas.steps().contains("make_table_2"));
        assertThat(canvas.input("make_table_2", "rows")).isEqualTo(5L);
        new Actions(browser).sendKeys(Keys.DELETE).perform();
        waitFor(browser, () -> canvas.steps().size() == 2);
        browser.findElement(By.id("designer-layout")).click();

        // Saved by itself: the page opened again shows the same pipeline.
        waitFor(browser, () -> browser.findElement(By.id("designer-save")).getText().startsWith("Saved"));
        long saved = canvas.version();
        assertThat(saved).isGreaterThan(1);
        browser.navigate().refresh();
        DesignerCanvas reopened = new DesignerCanvas(browser).ready();
        assertThat(reopened.steps()).containsExactly("make_table", "count_rows");
        assertThat(reopened.edges()).hasSize(1);
        assertThat(reopened.input("count_rows", "scale")).isEqualTo(2L);

        browser.findElement(By.id("designer-submit")).click();
        WebElement job = waitFor(browser, () -> browser.findElement(By.id("designer-job")));
        waitFor(browser, Duration.ofSeconds(90), () -> browser.findElement(By.id("designer-job-status")).getText().equals("Completed"));
        assertThat(reopened.statuses()).containsOnly(Map.entry("make_table", "Completed"), Map.entry("count_rows", "Completed"));
        JsonNode submitted = server.http().get("/api/v1/jobs/" + job.getText()).json();
        assertThat(submitted.path("status").asText()).isEqualTo("Completed");
        assertThat(submitted.at("/spec/jobs/count_rows/inputs/label").asText()).isEqualTo("lines");

        // The finished pipeline opens as a new draft from its page.
        String jobName = job.getText();
        browser.get(server.url() + "/jobs/" + jobName);
        waitFor(browser, () -> browser.findElement(By.id("open-as-draft"))).click();
        waitFor(browser, () -> browser.getCurrentUrl().contains("/designer/"));
        DesignerCanvas copy = new DesignerCanvas(browser).ready();
        assertThat(copy.steps()).containsExactly("make_table", "count_rows");
        assertThat(copy.edges()).hasSize(1);
        assertThat(browser.findElement(By.id("draft-name")).getText()).isEqualTo(jobName);
    }

    @Test
    void anImportedPipelineYamlExportsEquivalentAfterTheEditorSavedIt(ChromeDriver browser) throws IOException {
        String pipeline = """
                type: pipeline
                description: imported from a file
                tags: {release: "3"}
                settings: {default_compute: azureml:local, force_rerun: true}
                jobs:
                  make:
                    component: azureml:make_table:1
                    inputs: {rows: 4}
                  count:
                    component: azureml:count_rows@latest
                    environment_variables: {MODE: fast}
                    inputs:
                      data: ${{parent.jobs.make.outputs.data}}
                      scale: 0.5
                  inline:
                    command: cat ${{inputs.data}}/rows.txt
                    inputs: {data: "${{parent.jobs.make.outputs.data}}"}
                """;
        Path file = Files.createTempDirectory("designer-import").resolve("nightly.yml");
        Files.writeString(file, pipeline);
        browser.get(server.url() + "/designer");
        browser.findElement(By.id("import-yaml")).sendKeys(file.toString());
        DesignerCanvas canvas = new DesignerCanvas(browser).ready();
        assertThat(canvas.steps()).containsExactlyInAnyOrder("make", "count", "inline");
        assertThat(canvas.edges()).hasSize(2);
        waitFor(browser, () -> canvas.version() >= 2);  // the editor laid it out and saved its own document
        String href = browser.findElement(By.id("designer-export")).getAttribute("href");
        String exported = server.http().get(href.substring(server.url().length())).text();
        assertThat(yaml(exported)).isEqualTo(yaml(pipeline));
        assertThat(browser.findElement(By.id("draft-name")).getText()).isEqualTo("nightly");
    }

    private static WebElement panelInput(ChromeDriver browser, String input) {
        return browser.findElement(By.cssSelector("#designer-panel [data-input='" + input + "']"));
    }

    private static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
