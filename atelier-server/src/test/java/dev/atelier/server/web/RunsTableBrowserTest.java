package dev.atelier.server.web;

import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.util.List;
import java.util.Map;

import static dev.atelier.server.web.Browser.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runs table and the search in headless Chromium: start times told relative with the exact time on hover, the
 * column groups and the sticky header, the Experiment column of "All runs", the filter box's bare word (a run-name
 * search) and its suggestion for a key without its kind, the top bar's search over models and jobs and an exact run
 * id opening the run, and the Edit menus at 1,400 and 390 px.
 */
@ExtendWith(Browser.class)
class RunsTableBrowserTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static String experimentId;
    private static String oldRunId;

    @BeforeAll
    static void logData() {
        PortalData data = new PortalData(server.http(), "default");
        experimentId = data.experiment("table-sweep");
        String otherExperiment = data.experiment("other-experiment");
        oldRunId = server.http().post("/api/2.0/mlflow/runs/create", Map.of("experiment_id", experimentId, "run_name",
                "alpha-old", "start_time", System.currentTimeMillis() - 190 * 60_000)).json().get("run").get("info").get("run_id").asText();
        data.metric(oldRunId, "accuracy", 1, 0.95);
        data.finish(oldRunId);
        String beta = data.run(experimentId, "beta-run", Map.of("optimizer", "adam"), Map.of());
        data.metric(beta, "accuracy", 1, 0.5);
        data.finish(beta);
        data.finish(data.run(otherExperiment, "gamma-elsewhere", Map.of(), Map.of()));
        ModelData models = new ModelData(server.http(), "default");
        models.model("searchable-classifier");
        new JobsData(server.http()).submit("", """
                name: searchable-job
                command: echo found
                """);
    }

    @Test
    void startTimesAreRelativeWithTheExactTimeOnHoverUnderAStickyGroupedHeader(ChromeDriver browser) {
        open(browser, "/experiments/" + experimentId);
        WebElement time = waitFor(browser, () -> browser.findElement(By.cssSelector("tr[data-run-id='" + oldRunId + "'] td.time time")));
        assertThat(time.getText()).isEqualTo("3 h ago");
        assertThat(time.getAttribute("title")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC");
        assertThat(browser.executeScript("return getComputedStyle(document.querySelector('#runs-table thead')).position"))
                .isEqualTo("sticky");
        assertThat(browser.executeScript("return getComputedStyle(document.querySelector('#runs-table td.name')).position"))
                .isEqualTo("sticky");
        assertThat(browser.findElements(By.cssSelector("#runs-table tr.column-groups th")).stream()
                .map(group -> group.getAttribute("textContent")).toList()).containsExactly("", "Metrics", "Parameters");
        assertThat(browser.findElement(By.cssSelector("#runs-table tr.column-groups th[data-group='metrics']")).getAttribute("colspan"))
                .isEqualTo("1");
        assertThat(browser.findElements(By.cssSelector("#runs-table th[data-column='experiment']"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#runs-table th.sorted svg[data-icon='sort-down']"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector("#runs-table .remove-column svg[data-icon='close']"))).isNotEmpty();
        // The header stays at the top of the table's own scroller when its rows scroll.
        browser.executeScript("""
                var scroller = document.getElementById('runs-scroller');
                scroller.style.maxHeight = '80px';
                scroller.scrollTop = 60;""");
        Number offset = (Number) browser.executeScript("""
                var scroller = document.getElementById('runs-scroller');
                return document.querySelector('#runs-table thead').getBoundingClientRect().top - scroller.getBoundingClientRect().top;""");
        assertThat(offset.doubleValue()).isBetween(-1.0, 2.0);
    }

    @Test
    void allRunsHasAnExperimentColumn(ChromeDriver browser) {
        open(browser, "/runs");
        assertThat(browser.findElement(By.cssSelector("#runs-table th[data-column='experiment']")).getText()).isEqualTo("Experiment");
        assertThat(experimentOf(browser, "alpha-old").getText()).isEqualTo("table-sweep");
        assertThat(experimentOf(browser, "beta-run").getText()).isEqualTo("table-sweep");
        assertThat(experimentOf(browser, "gamma-elsewhere").getText()).isEqualTo("other-experiment");
        experimentOf(browser, "alpha-old").click();
        waitFor(browser, () -> browser.getCurrentUrl().endsWith("/experiments/" + experimentId));
    }

    /** The Experiment cell's link of the run named {@code name} (the job of the data adds a run of its own). */
    private static WebElement experimentOf(ChromeDriver browser, String name) {
        return waitFor(browser, () -> browser.findElements(By.cssSelector("#runs-table tbody tr")).stream()
                .filter(row -> row.findElement(By.cssSelector("td.name a.run-name")).getText().equals(name)).findFirst()
                .map(row -> row.findElement(By.cssSelector("td.experiment a"))).orElse(null));
    }

    @Test
    void aBareWordSearchesRunNamesAndAKeyWithoutItsKindGetsASuggestion(ChromeDriver browser) {
        open(browser, "/experiments/" + experimentId);
        WebElement filter = waitFor(browser, () -> browser.findElement(By.id("filter")));
        filter.sendKeys("alpha", Keys.ENTER);
        waitFor(browser, () -> browser.findElement(By.id("filter-note")).getText().contains("attributes.run_name LIKE '%alpha%'"));
        assertThat(names(browser)).containsExactly("alpha-old");

        filter = browser.findElement(By.id("filter"));
        filter.clear();
        filter.sendKeys("accuracy > 0.9", Keys.ENTER);
        WebElement suggestion = waitFor(browser, () -> browser.findElement(By.id("filter-suggestion")));
        assertThat(suggestion.getText()).isEqualTo("metrics.accuracy > 0.9");
        assertThat(browser.findElement(By.id("filter-error")).getText()).contains("Did you mean");
        suggestion.click();
        waitFor(browser, () -> browser.findElement(By.id("filter")).getAttribute("value").equals("metrics.accuracy > 0.9"));
        assertThat(names(browser)).containsExactly("alpha-old");
        assertThat(Browser.cspViolations(browser)).isEmpty();
    }

    @Test
    void theTopSearchFindsModelsAndJobsNamesExperimentsAndOpensAnExactRunId(ChromeDriver browser) {
        open(browser, "/");
        WebElement search = browser.findElement(By.id("top-search"));
        search.sendKeys("searchable", Keys.ENTER);
        waitFor(browser, () -> browser.findElement(By.cssSelector("section[data-kind='Model'] a[data-hit='searchable-classifier']")));
        assertThat(browser.findElements(By.cssSelector("section[data-kind='Job'] a[href$='/jobs/searchable-job']"))).hasSize(1);
        open(browser, "/search?q=gamma");
        assertThat(waitFor(browser, () -> browser.findElement(By.cssSelector("#search-runs a.run-experiment"))).getText())
                .isEqualTo("other-experiment");
        open(browser, "/");
        browser.findElement(By.id("top-search")).sendKeys(oldRunId, Keys.ENTER);
        waitFor(browser, () -> browser.getCurrentUrl().endsWith("/runs/" + oldRunId));
    }

    @Test
    void editMenusOpenAndCloseWithTheKeyboardAndFitAPhone(ChromeDriver browser) {
        for (int width : List.of(1400, 390)) {
            Browser.viewport(browser, width, width > 800 ? 900 : 844);
            open(browser, "/experiments/" + experimentId);
            WebElement rename = browser.findElement(By.cssSelector("#experiment-menu input[name=name]"));
            assertThat(rename.isDisplayed()).as("closed at %d px", width).isFalse();
            WebElement summary = browser.findElement(By.cssSelector("#experiment-menu summary"));
            summary.sendKeys(Keys.ENTER);
            waitFor(browser, rename::isDisplayed);
            assertThat(browser.findElement(By.id("delete-experiment")).isDisplayed()).isTrue();
            assertNoSidewaysScroll(browser, width);
            browser.switchTo().activeElement().sendKeys(Keys.ESCAPE);
            waitFor(browser, () -> !rename.isDisplayed());

            open(browser, "/experiments");
            WebElement rowMenu = browser.findElement(By.cssSelector("details[data-experiment-menu='" + experimentId + "']"));
            rowMenu.findElement(By.tagName("summary")).click();
            waitFor(browser, () -> rowMenu.findElement(By.cssSelector("input[name=name]")).isDisplayed());
            assertNoSidewaysScroll(browser, width);
        }
    }

    private static void assertNoSidewaysScroll(ChromeDriver browser, int width) {
        Number scrollWidth = (Number) browser.executeScript("return document.documentElement.scrollWidth");
        Number innerWidth = (Number) browser.executeScript("return window.innerWidth");
        assertThat(scrollWidth.intValue()).as("%s at %d px", browser.getCurrentUrl(), width).isLessThanOrEqualTo(innerWidth.intValue());
    }

    private static List<String> names(ChromeDriver browser) {
        return browser.findElements(By.cssSelector("#runs-table tbody td.name > a.run-name")).stream().map(WebElement::getText).toList();
    }

    private static void open(ChromeDriver browser, String path) {
        browser.get(server.url() + path);
        waitFor(browser, () -> "complete".equals(browser.executeScript("return document.readyState"))
                && !browser.findElements(By.tagName("main")).isEmpty());
    }
}
