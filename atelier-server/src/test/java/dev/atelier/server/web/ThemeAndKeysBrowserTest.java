package dev.atelier.server.web;

import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dark mode and keyboard shortcuts in headless Chromium: the page follows the system's colour scheme until the
 * toggle chooses one, which a reload keeps; {@code /} focuses the search, {@code j}/{@code k} walk the runs
 * table, {@code x} ticks a run and {@code c} compares the ticked runs.
 */
@ExtendWith(Browser.class)
class ThemeAndKeysBrowserTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static String experimentId;

    @BeforeAll
    static void logData() {
        PortalData data = new PortalData(server.http(), "default");
        experimentId = data.experiment("keys");
        for (int i = 0; i < 3; i++) {
            data.finish(data.run(experimentId, "run-" + i, Map.of("lr", "0.0" + (i + 1)), Map.of()));
        }
    }

    @Test
    void darkModeFollowsTheSystemUntilTheToggleChoosesAndAReloadKeepsTheChoice(ChromeDriver browser) {
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        open(browser, "/experiments");
        assertThat(theme(browser)).isEqualTo("dark");
        assertThat(background(browser)).isEqualTo("rgb(15, 20, 27)");
        browser.findElement(By.id("theme-button")).click();
        Browser.waitFor(browser, () -> theme(browser).equals("light"));
        assertThat(background(browser)).isEqualTo("rgb(247, 248, 250)");
        open(browser, "/runs");
        assertThat(theme(browser)).isEqualTo("light");
        browser.findElement(By.id("theme-button")).click();
        Browser.waitFor(browser, () -> theme(browser).equals("dark"));
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", "light"))));
        open(browser, "/experiments/" + experimentId);
        assertThat(theme(browser)).isEqualTo("dark");
        assertThat(background(browser)).isEqualTo("rgb(15, 20, 27)");
    }

    @Test
    void slashSearchesJAndKWalkTheRunsXTicksAndCCompares(ChromeDriver browser) {
        open(browser, "/experiments/" + experimentId);
        Browser.waitFor(browser, () -> browser.findElements(By.cssSelector("#runs-table tbody tr")).size() == 3);
        keys(browser, "/");
        Browser.waitFor(browser, () -> "top-search".equals(browser.switchTo().activeElement().getAttribute("id")));
        browser.findElement(By.id("top-search")).sendKeys(org.openqa.selenium.Keys.ESCAPE);
        browser.executeScript("document.activeElement.blur()");
        keys(browser, "jjjk");
        assertThat(current(browser)).isEqualTo(1);
        keys(browser, "x");
        keys(browser, "k");
        keys(browser, "x");
        assertThat(current(browser)).isEqualTo(0);
        Browser.waitFor(browser, () -> browser.findElement(By.id("compare-button")).isEnabled());
        keys(browser, "c");
        Browser.waitFor(browser, () -> browser.getCurrentUrl().contains("/compare?"));
        Browser.waitFor(browser, () -> browser.findElement(By.id("compare-table")));
        assertThat(browser.getCurrentUrl().split("runs=")).hasSize(3);
    }

    @Test
    void theHeaderBoxTicksEveryRunOfThePage(ChromeDriver browser) {
        open(browser, "/experiments/" + experimentId);
        Browser.waitFor(browser, () -> browser.findElements(By.cssSelector("#runs-table tbody tr")).size() == 3);
        browser.findElement(By.id("select-all")).click();
        Browser.waitFor(browser, () -> browser.findElement(By.id("compare-button")).getText().equals("Compare 3 runs"));
        assertThat(browser.findElements(By.cssSelector("#runs-table input[name=runs]:checked"))).hasSize(3);
        browser.findElement(By.id("select-all")).click();
        Browser.waitFor(browser, () -> !browser.findElement(By.id("compare-button")).isEnabled());
        assertThat(browser.findElements(By.cssSelector("#runs-table input[name=runs]:checked"))).isEmpty();
    }

    private static void open(ChromeDriver browser, String path) {
        browser.get(server.url() + path);
        Browser.waitFor(browser, () -> "complete".equals(browser.executeScript("return document.readyState"))
                && !browser.findElements(By.id("theme-button")).isEmpty());
    }

    private static void keys(ChromeDriver browser, String keys) {
        new Actions(browser).sendKeys(keys).perform();
    }

    private static String theme(ChromeDriver browser) {
        return (String) browser.executeScript("return document.documentElement.getAttribute('data-theme')");
    }

    private static String background(ChromeDriver browser) {
        return (String) browser.executeScript("return getComputedStyle(document.body).backgroundColor");
    }

    /** The index of the row j/k moved to among the table's rows, -1 when none. */
    private static int current(ChromeDriver browser) {
        return ((Number) browser.executeScript("""
                var rows = Array.prototype.slice.call(document.querySelectorAll('#runs-table tbody tr'));
                return rows.findIndex(function (row) { return row.classList.contains('kb-current'); });""")).intValue();
    }
}
