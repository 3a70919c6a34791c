package dev.atelier.server.web;

import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.atelier.server.web.Browser.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Working across runs in Chromium: an experiment's Charts view draws a series per run for each metric (and follows
 * the filter and the ticked runs), its parallel-coordinates plot draws a line per run, the compare page's scatter
 * and "differences only" act without a reload, a run's charts share one control bar, take a second metric and show
 * single values as tiles, and none of these pages scrolls sideways at 390 px.
 */
@ExtendWith(Browser.class)
class ChartsBrowserTest {
    private static final int RUNS = 5;

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static String experimentId;
    private static final List<String> runs = new ArrayList<>();

    @BeforeAll
    static void logData() {
        PortalData data = new PortalData(server.http(), "default");
        experimentId = data.experiment("a-sweep-with-a-rather-long-name-for-phones");
        for (int i = 0; i < RUNS; i++) {
            String run = data.run(experimentId, "trial-with-a-long-name-" + i,
                    Map.of("learning_rate", "0.00" + (i + 1), "optimizer", i % 2 == 0 ? "adam" : "sgd", "layers", "4"),
                    Map.of("team", i == 0 ? "vision" : "speech"));
            data.metric(run, "train_loss", 40, 1.0 - i * 0.1);
            data.metric(run, "validation_loss", 40, 1.1 - i * 0.1);
            data.metric(run, "test_accuracy", 1, 0.5 + i * 0.1);
            data.finish(run);
            runs.add(run);
        }
    }

    private static WebElement open(ChromeDriver browser, String path, String ready) {
        browser.get(server.url() + path);
        return waitFor(browser, () -> browser.findElement(By.cssSelector(ready)));
    }

    private static WebElement chart(ChromeDriver browser, String key) {
        return waitFor(browser, () -> browser.findElement(By.cssSelector(".chart[data-key='" + key + "'][data-rendered-points]")));
    }

    @Test
    void chartsViewDrawsASeriesPerRunForEveryMetric(ChromeDriver browser) {
        Browser.viewport(browser, 1400, 900);
        open(browser, "/experiments/" + experimentId, "#runs-table");
        browser.findElement(By.cssSelector("a[data-tab='charts']")).click();
        waitFor(browser, () -> browser.findElement(By.cssSelector("#experiment-charts[data-loaded]")));
        for (String key : List.of("train_loss", "validation_loss")) {
            WebElement chart = chart(browser, key);
            assertThat(chart.getAttribute("data-series-count")).as(key).isEqualTo(String.valueOf(RUNS));
            assertThat(chart.findElements(By.tagName("canvas"))).as(key).isNotEmpty();
        }
        WebElement values = chart(browser, "test_accuracy");
        assertThat(values.findElements(By.cssSelector(".value-bar"))).hasSize(RUNS);
        WebElement controls = browser.findElement(By.id("chart-controls"));
        new Select(controls.findElement(By.name("x"))).selectByValue("relative");
        controls.findElement(By.name("log")).click();
        WebElement redrawn = chart(browser, "train_loss");
        assertThat(redrawn.getAttribute("data-series-count")).isEqualTo(String.valueOf(RUNS));
        assertThat(redrawn.getText()).contains("seconds");

        open(browser, "/experiments/" + experimentId + "/charts?filter=" + URLEncoder.encode("params.optimizer = 'adam'",
                StandardCharsets.UTF_8), "#experiment-charts[data-loaded]");
        assertThat(chart(browser, "train_loss").getAttribute("data-series-count")).isEqualTo("3");
    }

    @Test
    void tickedRunsAreChartedAlone(ChromeDriver browser) {
        Browser.viewport(browser, 1400, 900);
        open(browser, "/experiments/" + experimentId, "#runs-table");
        List<WebElement> boxes = browser.findElements(By.cssSelector("#runs-table input[name=runs]"));
        boxes.get(0).click();
        boxes.get(1).click();
        browser.findElement(By.id("chart-button")).click();
        waitFor(browser, () -> browser.findElement(By.cssSelector("#experiment-charts[data-loaded]")));
        assertThat(chart(browser, "validation_loss").getAttribute("data-series-count")).isEqualTo("2");
        assertThat(browser.findElement(By.id("ticked-runs")).getText()).contains("2 runs");
    }

    @Test
    void parallelCoordinatesDrawALinePerRun(ChromeDriver browser) {
        Browser.viewport(browser, 1400, 900);
        WebElement plot = open(browser, "/experiments/" + experimentId + "/charts", "#parcoords[data-lines]");
        assertThat(plot.getAttribute("data-lines")).isEqualTo(String.valueOf(RUNS));
        assertThat(plot.findElements(By.cssSelector("polyline.pc-line"))).hasSize(RUNS);
        // The params that differ are the default axes, the metric last: learning_rate, optimizer, and the metric.
        assertThat(plot.findElements(By.cssSelector("input[name=param]:checked"))).extracting(box -> box.getAttribute("value"))
                .containsExactly("learning_rate", "optimizer");
        assertThat(plot.findElements(By.cssSelector("line.pc-axis"))).hasSize(3);
        plot.findElement(By.cssSelector("input[name=param][value=layers]")).click();
        waitFor(browser, () -> plot.findElements(By.cssSelector("line.pc-axis")).size() == 4);
        new Select(plot.findElement(By.name("metric"))).selectByValue("validation_loss");
        assertThat(plot.findElements(By.cssSelector("polyline.pc-line"))).hasSize(RUNS);
        assertThat(plot.findElements(By.cssSelector("text.pc-name"))).extracting(WebElement::getText).endsWith("validation_loss");
    }

    @Test
    void compareScatterAndDifferencesOnlyActWithoutAReload(ChromeDriver browser) {
        Browser.viewport(browser, 1400, 900);
        open(browser, "/compare?runs=" + runs.get(0) + "&runs=" + runs.get(1) + "&runs=" + runs.get(2), "#scatter circle.scatter-point");
        browser.executeScript("window.notReloaded = true;");
        Select x = new Select(browser.findElement(By.cssSelector("#scatter-form [name=x]")));
        assertThat(x.getFirstSelectedOption().getAttribute("value")).isEqualTo("params.learning_rate");
        List<WebElement> dots = browser.findElements(By.cssSelector("#scatter circle.scatter-point"));
        assertThat(dots).hasSize(3).extracting(dot -> dot.getAttribute("fill")).containsExactly("#2563eb", "#dc2626", "#16a34a");
        // The line charts give each run the same colour as its dot.
        assertThat(chart(browser, "train_loss").getAttribute("data-series")).contains("\"run\":0", "\"run\":2");
        x.selectByValue("params.optimizer");
        waitFor(browser, () -> browser.getCurrentUrl().contains("x=params.optimizer"));
        assertThat(browser.findElement(By.id("scatter")).getAttribute("aria-label")).isEqualTo("metrics.test_accuracy against params.optimizer");
        assertThat(browser.findElements(By.cssSelector("#scatter circle.scatter-point"))).hasSize(3);
        assertThat(browser.executeScript("return window.notReloaded === true")).isEqualTo(true);
        String wide = browser.findElement(By.id("scatter")).getAttribute("width");
        Browser.viewport(browser, 900, 900);
        waitFor(browser, () -> !browser.findElement(By.id("scatter")).getAttribute("width").equals(wide));

        WebElement same = browser.findElement(By.cssSelector("#compare-table tr[data-differs='no'][data-kind='params']"));
        WebElement tag = browser.findElement(By.cssSelector("#compare-table tr[data-kind='tags']"));
        assertThat(tag.getText()).contains("team", "vision", "speech");
        assertThat(same.isDisplayed()).isTrue();
        browser.findElement(By.id("differences-only")).click();
        waitFor(browser, () -> !same.isDisplayed());
        assertThat(tag.isDisplayed()).isTrue();
        browser.findElement(By.id("differences-only")).click();
        waitFor(browser, same::isDisplayed);
    }

    @Test
    void runChartsShareOneControlBarTakeASecondMetricAndShowSingleValuesAsTiles(ChromeDriver browser) {
        Browser.viewport(browser, 1400, 900);
        open(browser, "/runs/" + runs.get(0), ".chart[data-key='train_loss'][data-rendered-points]");
        assertThat(browser.findElements(By.cssSelector("[data-chart-controls]"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector(".chart[data-key='test_accuracy']"))).isEmpty();
        assertThat(browser.findElement(By.cssSelector("#metric-tiles .tile[data-key='test_accuracy']")).getText()).contains("0.5");
        WebElement chart = chart(browser, "train_loss");
        new Select(chart.findElement(By.name("add"))).selectByValue("validation_loss");
        waitFor(browser, () -> "2".equals(chart.getAttribute("data-series-count")));
        assertThat(chart.getText()).contains("validation_loss");
        browser.findElement(By.cssSelector("#chart-controls input[name=smoothing]")).sendKeys(org.openqa.selenium.Keys.ARROW_RIGHT);
        assertThat(chart(browser, "train_loss").getAttribute("data-series-count")).isEqualTo("2");
    }

    @Test
    void chartPagesDoNotScrollSidewaysOnAPhone(ChromeDriver browser) {
        Browser.viewport(browser, 390, 844);
        Browser.cspViolations(browser);
        List<String> pages = List.of("/experiments/" + experimentId + "/charts", "/compare?runs=" + runs.get(0) + "&runs=" + runs.get(1),
                "/runs/" + runs.get(0));
        for (String path : pages) {
            open(browser, path, ".chart[data-rendered-points]");
            waitFor(browser, () -> browser.findElements(By.cssSelector("#experiment-charts:not([data-loaded])")).isEmpty());
            Number scrollWidth = (Number) browser.executeScript("return document.documentElement.scrollWidth");
            Number innerWidth = (Number) browser.executeScript("return window.innerWidth");
            assertThat(scrollWidth.intValue()).as(path).isLessThanOrEqualTo(innerWidth.intValue());
        }
        assertThat(Browser.cspViolations(browser)).isEmpty();
    }
}
