package dev.atelier.server.web;

import dev.atelier.server.testing.ServerExtension;
import dev.atelier.server.web.data.DataPortalClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The Data area in headless Chromium: from the data list to an asset, its version, the profile and histograms. */
@ExtendWith(Browser.class)
class DataBrowserTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void dataListLeadsToTheAssetAndItsProfile(ChromeDriver browser) {
        new DataPortalClient(server::url, Optional.empty()).register("", "iris", "table", "iris.csv",
                "sepal_length,species\n5.1,setosa\n4.9,setosa\n6.3,virginica\n", Map.of());
        browser.get(server.url() + "/");
        Browser.waitFor(browser, () -> browser.findElement(By.cssSelector("a[data-area='data']"))).click();
        browser.findElement(By.linkText("iris")).click();
        browser.findElement(By.linkText("1")).click();
        assertThat(browser.findElement(By.id("row-count")).getText()).isEqualTo("3");
        WebElement length = browser.findElement(By.cssSelector("#profile tr[data-column='sepal_length']"));
        assertThat(length.getText()).contains("number", "4.9", "6.3");
        List<WebElement> bars = length.findElements(By.cssSelector("svg.histogram rect"));
        assertThat(bars).hasSize(10);
        assertThat(bars.getFirst().getSize().getHeight()).isPositive();
        assertThat(browser.findElement(By.cssSelector("#profile tr[data-column='species']")).getText()).contains("setosa", "2");
        assertThat(browser.findElement(By.id("preview")).findElements(By.tagName("tr"))).hasSize(4);
    }
}
