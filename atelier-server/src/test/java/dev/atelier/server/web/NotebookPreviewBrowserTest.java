package dev.atelier.server.web;

import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A notebook artifact in headless Chromium: cells and an image shown, a script in an HTML output shown as text and never run. */
@ExtendWith(Browser.class)
class NotebookPreviewBrowserTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static String runId;

    @BeforeAll
    static void logData() {
        PortalData data = new PortalData(server.http(), "default");
        String experimentId = data.experiment("notebooks in a browser");
        runId = data.run(experimentId, "executed notebook", Map.of(), Map.of());
        data.artifact(experimentId, runId, "outputs/analysis.ipynb", NotebookFixtures.everyOutput());
        data.finish(runId);
    }

    @Test
    void notebookArtifactRendersReadOnlyAndRunsNothingItHolds(ChromeDriver browser) {
        Browser.cspViolations(browser);
        browser.get(server.url() + "/runs/" + runId + "/artifacts");
        new WebDriverWait(browser, Duration.ofSeconds(20)).ignoring(org.openqa.selenium.NoSuchElementException.class)
                .until(driver -> driver.findElement(By.cssSelector("a[data-dir='outputs']"))).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).ignoring(org.openqa.selenium.NoSuchElementException.class)
                .until(driver -> driver.findElement(By.cssSelector("a[data-file='outputs/analysis.ipynb']"))).click();
        WebElement notebook = new WebDriverWait(browser, Duration.ofSeconds(20)).ignoring(org.openqa.selenium.NoSuchElementException.class)
                .until(driver -> driver.findElement(By.id("notebook")));
        assertThat(notebook.findElements(By.cssSelector("[data-cell]"))).hasSize(7);
        assertThat(notebook.findElement(By.cssSelector("[data-output='html']")).getText()).isEqualTo("<script>alert(1)</script>");
        assertThat(notebook.findElement(By.cssSelector("[data-cell='markdown']")).getText()).contains("<b>bold</b>");
        assertThat(notebook.findElements(By.cssSelector("script, b"))).isEmpty();
        WebElement image = notebook.findElement(By.cssSelector("img[data-output='image']"));
        assertThat(((Number) browser.executeScript("return arguments[0].naturalWidth", image)).intValue()).isEqualTo(1);
        assertThat(notebook.findElement(By.cssSelector("[data-output='error']")).getText()).contains("ZeroDivisionError: division by zero")
                .doesNotContain("[0;31m");
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(Browser.cspViolations(browser)).isEmpty();
    }
}
