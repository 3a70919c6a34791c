package dev.atelier.server.web;

import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal in headless Chromium: landing page, an experiment's runs table (nesting, filter, sort),
 * a run's charts, an artifact preview and the comparison of runs. With
 * {@code -Dportal.screenshots=docs/images} the main pages are also saved as PNG.
 */
@ExtendWith(Browser.class)
class PortalBrowserTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static String experimentId;
    private static String bestRunId;
    private ChromeDriver browser;

    @BeforeAll
    static void logData() {
        PortalData data = new PortalData(server.http(), "default");
        experimentId = data.experiment("image-classifier");
        String sweep = data.run(experimentId, "lr-sweep", Map.of("model", "resnet18"), Map.of("team", "vision"));
        double[] accuracies = {0.81, 0.93, 0.88};
        String[] rates = {"0.1", "0.01", "0.001"};
        for (int i = 0; i < 3; i++) {
            String trial = data.run(experimentId, "trial-" + i, Map.of("lr", rates[i], "model", "resnet18"),
                    Map.of("mlflow.parentRunId", sweep));
            data.metric(trial, "loss", 200, 1.0 - i * 0.2);
            data.metric(trial, "accuracy", 1, accuracies[i]);
            data.finish(trial);
            if (i == 1) {
                bestRunId = trial;
            }
        }
        data.artifact(experimentId, bestRunId, "config.json", "{\"lr\": 0.01, \"layers\": [64, 128]}");
        data.artifact(experimentId, bestRunId, "eval/predictions.csv", "label,predicted\ncat,cat\ndog,cat\n");
        data.artifact(experimentId, bestRunId, "logs/train.log", "epoch 1 loss 0.9\nepoch 2 loss 0.5\n");
        data.finish(sweep);
    }

    @BeforeEach
    void openBrowser(ChromeDriver driver) {
        browser = driver;
    }

    @Test
    void landingPageShowsRecentRunsAndLeadsToTheExperiment() {
        browser.get(server.url() + "/");
        assertThat(browser.getTitle()).contains("Workspace default");
        assertThat(browser.findElement(By.id("recent-runs")).getText()).contains("trial-1", "lr-sweep");
        screenshot("landing");
        browser.findElement(By.linkText("image-classifier")).click();
        waitFor(() -> browser.findElements(By.cssSelector("#runs-table tbody tr")).size() == 4);
        List<WebElement> children = browser.findElements(By.cssSelector("#runs-table tr[data-depth='1']"));
        assertThat(children).hasSize(3);
        screenshot("runs-table");
    }

    @Test
    void filterNarrowsTheRunsAndShowsGrammarErrorsInline() {
        browser.get(server.url() + "/experiments/" + experimentId);
        filter("metrics.accuracy > 0.85");
        waitFor(() -> runNames().size() == 2);
        assertThat(runNames()).containsExactlyInAnyOrder("trial-1", "trial-2");
        assertThat(browser.findElements(By.id("filter-error"))).isEmpty();
        filter("metrics.accuracy >>> 1");
        WebElement error = waitFor(() -> browser.findElement(By.id("filter-error")));
        assertThat(error.isDisplayed()).isTrue();
        assertThat(error.getText()).isNotBlank();
        assertThat(browser.findElement(By.id("filter")).getAttribute("value")).isEqualTo("metrics.accuracy >>> 1");
    }

    @Test
    void sortingByAMetricOrdersTheRows() {
        browser.get(server.url() + "/experiments/" + experimentId + "?filter=" + java.net.URLEncoder.encode(
                "metrics.accuracy > 0", java.nio.charset.StandardCharsets.UTF_8));
        browser.findElement(By.cssSelector("th[data-column='metrics.accuracy'] a.sort-link")).click();
        waitFor(() -> browser.getCurrentUrl().contains("order="));
        assertThat(runNames()).containsExactly("trial-1", "trial-2", "trial-0");
        browser.findElement(By.cssSelector("th[data-column='metrics.accuracy'] a.sort-link")).click();
        waitFor(() -> browser.getCurrentUrl().contains("ASC"));
        assertThat(runNames()).containsExactly("trial-0", "trial-2", "trial-1");
    }

    @Test
    void runPageDrawsEachMetricWithAllItsPoints() {
        browser.get(server.url() + "/experiments/" + experimentId);
        browser.findElement(By.linkText("trial-1")).click();
        WebElement chart = waitFor(() -> browser.findElement(By.cssSelector(".chart[data-key='loss'][data-rendered-points]")));
        assertThat(chart.getAttribute("data-point-count")).isEqualTo("200");
        assertThat(chart.getAttribute("data-rendered-points")).isEqualTo("200");
        assertThat(chart.findElements(By.tagName("canvas"))).isNotEmpty();
        assertThat(browser.findElement(By.id("params")).getText()).contains("lr", "0.01");
        screenshot("run");
    }

    @Test
    void artifactBrowserPreviewsJsonAndCsv() {
        browser.get(server.url() + "/runs/" + bestRunId);
        waitFor(() -> browser.findElement(By.cssSelector("a[data-tab='artifacts']"))).click();
        waitFor(() -> browser.findElement(By.cssSelector("a[data-file='config.json']"))).click();
        WebElement preview = waitFor(() -> browser.findElement(By.id("preview")));
        assertThat(preview.getAttribute("data-kind")).isEqualTo("JSON");
        assertThat(preview.getText()).contains("\"layers\"");
        browser.findElement(By.cssSelector("a[data-dir='eval']")).click();
        browser.findElement(By.cssSelector("a[data-file='eval/predictions.csv']")).click();
        WebElement table = waitFor(() -> browser.findElement(By.id("csv-preview")));
        assertThat(table.findElements(By.tagName("tr"))).hasSize(3);
        screenshot("artifacts");
    }

    @Test
    void comparingTwoRunsHighlightsDifferencesAndOverlaysCharts() {
        browser.get(server.url() + "/experiments/" + experimentId);
        List<WebElement> boxes = waitFor(() -> {
            List<WebElement> found = browser.findElements(By.cssSelector("#runs-table tr[data-depth='1'] input[name=runs]"));
            return found.size() == 3 ? found : null;
        });
        boxes.get(0).click();
        boxes.get(1).click();
        WebElement compare = browser.findElement(By.id("compare-button"));
        waitFor(compare::isEnabled);
        compare.click();
        waitFor(() -> browser.findElement(By.id("compare-table")));
        assertThat(browser.findElements(By.cssSelector("#compare-table tr[data-differs='yes']")).stream().map(WebElement::getText))
                .anyMatch(text -> text.contains("lr"));
        assertThat(browser.findElements(By.cssSelector("#compare-table tr[data-differs='no']")).stream().map(WebElement::getText))
                .anyMatch(text -> text.contains("model"));
        WebElement chart = waitFor(() -> browser.findElement(By.cssSelector(".chart[data-key='loss'][data-rendered-points]")));
        assertThat(chart.getAttribute("data-rendered-points")).isEqualTo("200");
        assertThat(browser.findElements(By.cssSelector("#scatter circle.scatter-point"))).hasSize(2);
        screenshot("compare");
    }

    @Test
    void pagesRunNoScriptTheContentSecurityPolicyForbids() {
        Browser.cspViolations(browser);
        browser.get(server.url() + "/experiments/" + experimentId);
        List<WebElement> boxes = waitFor(() -> {
            List<WebElement> found = browser.findElements(By.cssSelector("#runs-table tr[data-depth='1'] input[name=runs]"));
            return found.size() == 3 ? found : null;
        });
        boxes.get(0).click();
        boxes.get(1).click();
        waitFor(() -> browser.findElement(By.id("compare-button")).isEnabled());  // data-change="selection-changed"
        browser.get(server.url() + "/runs/" + bestRunId);
        WebElement chart = waitFor(() -> browser.findElement(By.cssSelector(".chart[data-key='loss'][data-rendered-points]")));
        browser.findElement(By.cssSelector("#chart-controls input[name=log]")).click();  // data-change="redraw-all"
        browser.get(server.url() + "/no-such-page");
        assertThat(browser.findElement(By.cssSelector("a[data-click='back']")).isDisplayed()).isTrue();
        assertThat(Browser.cspViolations(browser)).isEmpty();
    }

    private void filter(String text) {
        WebElement input = browser.findElement(By.id("filter"));
        input.clear();
        input.sendKeys(text);
        String before = browser.getCurrentUrl();
        browser.findElement(By.id("apply-filter")).click();
        waitFor(() -> !browser.getCurrentUrl().equals(before));
    }

    private List<String> runNames() {
        return browser.findElements(By.cssSelector("#runs-table tbody td.name > a.run-name")).stream().map(WebElement::getText).toList();
    }

    private <T> T waitFor(java.util.function.Supplier<T> condition) {
        return Browser.waitFor(browser, condition);
    }

    /** Saves the page as {@code <dir>/portal-<name>.png} when -Dportal.screenshots=<dir> is set. */
    private void screenshot(String name) {
        String folder = System.getProperty("portal.screenshots");
        if (folder == null || folder.isBlank()) {
            return;
        }
        try {
            Path target = Path.of(folder).resolve("portal-" + name + ".png");
            Files.createDirectories(target.getParent());
            // The whole page, not just the window: grow the window to the page's height for the shot.
            org.openqa.selenium.Dimension window = browser.manage().window().getSize();
            Number height = (Number) browser.executeScript("return document.documentElement.scrollHeight");
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(window.getWidth(), Math.min(2400, height.intValue() + 140)));
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            browser.manage().window().setSize(window);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
