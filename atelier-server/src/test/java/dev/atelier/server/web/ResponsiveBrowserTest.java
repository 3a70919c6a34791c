package dev.atelier.server.web;

import dev.atelier.server.testing.ServerExtension;
import dev.atelier.server.web.data.DataPortalClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every area of the portal at a desktop width (1,400 px) and a phone's (390 px): the page never scrolls
 * sideways (wide tables and code scroll inside their own box), and on the phone the navigation is a drawer
 * that the menu button opens. The pages are every entry of the navigation plus the detail pages of an
 * experiment, a run, a model, a data asset and a job.
 */
@ExtendWith(Browser.class)
class ResponsiveBrowserTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static final List<String> DETAIL_PAGES = new ArrayList<>();
    /** The pages saved as docs/images/area-<name>-<width>.png with -Dportal.screenshots=<dir>, by path. */
    private static final Map<String, String> SHOTS = new java.util.HashMap<>();

    @BeforeAll
    static void logData() {
        PortalData data = new PortalData(server.http(), "default");
        String experimentId = data.experiment("a-rather-long-experiment-name-for-small-screens");
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String run = data.run(experimentId, "trial-with-a-long-name-" + i,
                    Map.of("learning_rate", "0.00" + (i + 1), "optimizer", "adam", "batch_size", "64", "model", "resnet50"),
                    Map.of("team", "vision"));
            data.metric(run, "validation_loss", 50, 1.0 - i * 0.1);
            data.metric(run, "validation_accuracy", 50, i * 0.1);
            data.metric(run, "train_loss", 50, 0.5 + i * 0.1);
            data.finish(run);
            runs.add(run);
        }
        data.artifact(experimentId, runs.getFirst(), "config.json", "{\"a_long_key_to_make_the_line_wide\": \"" + "x".repeat(300) + "\"}");
        ModelData models = new ModelData(server.http(), "default");
        models.model("iris-classifier");
        models.version("iris-classifier", models.experiment("iris"));
        new DataPortalClient(server::url, Optional.empty()).register("", "iris", "table", "iris.csv",
                "sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n6.3,3.3,6.0,2.5,virginica\n", Map.of());
        JobsData jobs = new JobsData(server.http());
        jobs.submit("", """
                name: hello-job
                command: echo hello from the job
                """);
        jobs.await("", "hello-job", null);
        DETAIL_PAGES.addAll(List.of("/", "/experiments/" + experimentId, "/runs/" + runs.getFirst(),
                "/runs/" + runs.getFirst() + "/artifacts?path=config.json", "/compare?runs=" + runs.get(0) + "&runs=" + runs.get(1),
                "/runs", "/models/iris-classifier", "/models/iris-classifier/versions/1", "/data/iris", "/data/iris/versions/1",
                "/jobs/hello-job", "/search?q=trial", "/no-such-page"));
        SHOTS.putAll(Map.of("/", "overview", "/experiments/" + experimentId, "experiment", "/runs/" + runs.getFirst(), "run",
                "/models/iris-classifier/versions/1", "model", "/data/iris/versions/1", "data", "/jobs/hello-job", "job",
                "/compute", "compute"));
    }

    @Test
    void noPageScrollsSidewaysOnADesktop(ChromeDriver browser) {
        Browser.viewport(browser, 1400, 900);
        for (String path : pages(browser)) {
            open(browser, path);
            assertNoSidewaysScroll(browser, path);
            assertThat(browser.findElement(By.id("sidenav")).isDisplayed()).as(path).isTrue();
            screenshot(browser, path, 1400);
        }
    }

    @Test
    void noPageScrollsSidewaysOnAPhoneAndTheNavigationIsADrawer(ChromeDriver browser) {
        Browser.viewport(browser, 390, 844);
        for (String path : pages(browser)) {
            open(browser, path);
            assertNoSidewaysScroll(browser, path);
            screenshot(browser, path, 390);
        }
        open(browser, "/experiments");
        WebElement models = browser.findElement(By.cssSelector("#sidenav a[data-area='models']"));
        assertThat(models.isDisplayed()).isFalse();
        browser.findElement(By.id("menu-button")).click();
        Browser.waitFor(browser, models::isDisplayed);
        assertThat(browser.findElement(By.id("menu-button")).getAttribute("aria-expanded")).isEqualTo("true");
        models.click();
        Browser.waitFor(browser, () -> browser.getCurrentUrl().endsWith("/models"));
        open(browser, "/models");
        assertThat(browser.findElement(By.cssSelector("#sidenav a[data-area='models']")).isDisplayed()).isFalse();
    }

    /** Every navigation entry and the detail pages, as paths of the default workspace. */
    private static Set<String> pages(ChromeDriver browser) {
        open(browser, "/");
        Set<String> paths = new LinkedHashSet<>();
        for (WebElement link : browser.findElements(By.cssSelector("#sidenav a[data-area]"))) {
            paths.add(link.getAttribute("href").substring(server.url().length()));
        }
        assertThat(paths).contains("/experiments", "/models", "/data", "/jobs", "/compute");
        paths.addAll(DETAIL_PAGES);
        return paths;
    }

    private static void open(ChromeDriver browser, String path) {
        browser.get(server.url() + path);
        Browser.waitFor(browser, () -> "complete".equals(browser.executeScript("return document.readyState"))
                && !browser.findElements(By.tagName("main")).isEmpty());
    }

    /**
     * Saves the whole page as {@code <dir>/area-<name>-<width>.png} when {@code -Dportal.screenshots=<dir>} is set
     * and the page is one of {@link #SHOTS}: the viewport grows to the page's height (at most 2,400 px) for the shot.
     */
    private static void screenshot(ChromeDriver browser, String path, int width) {
        String folder = System.getProperty("portal.screenshots");
        String name = SHOTS.get(path);
        if (folder == null || folder.isBlank() || name == null) {
            return;
        }
        try {
            java.nio.file.Path target = java.nio.file.Path.of(folder).resolve("area-" + name + "-" + width + ".png");
            java.nio.file.Files.createDirectories(target.getParent());
            Number height = (Number) browser.executeScript("return document.documentElement.scrollHeight");
            Browser.viewport(browser, width, Math.min(2400, height.intValue()));
            Browser.waitFor(browser, () -> ((Number) browser.executeScript("return window.innerHeight")).intValue()
                    == Math.min(2400, height.intValue()));
            java.nio.file.Files.write(target, browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
            Browser.viewport(browser, width, width > 800 ? 900 : 844);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertNoSidewaysScroll(ChromeDriver browser, String path) {
        Number scrollWidth = (Number) browser.executeScript("return document.documentElement.scrollWidth");
        Number innerWidth = (Number) browser.executeScript("return window.innerWidth");
        // On failure, name the widest elements that stick out of the window (the culprits are among them).
        String culprits = scrollWidth.intValue() <= innerWidth.intValue() ? "" : (String) browser.executeScript("""
                var out = [];
                document.querySelectorAll('body *').forEach(function (e) {
                  var r = e.getBoundingClientRect();
                  var clipped = false;
                  for (var a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                    if (getComputedStyle(a).overflowX !== 'visible') { clipped = true; break; }
                  }
                  if (!clipped && r.right > window.innerWidth + 1 && out.length < 12) {
                    out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined ? '.' + String(e.className).split(' ').join('.') : '') + ' ' + Math.round(r.right));
                  }
                });
                return out.join(', ');""");
        assertThat(scrollWidth.intValue()).as("%s at %d px scrolls sideways: %s", path, innerWidth.intValue(), culprits)
                .isLessThanOrEqualTo(innerWidth.intValue());
    }
}
