package dev.atelier.server.web;

import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The links MLflow's clients print ({@code <tracking URI>/#/experiments/<id>/runs/<run id>} and the
 * experiment, model and version forms) open the matching portal page in headless Chromium, in the default
 * workspace and under {@code /w/<workspace>}, whose tracking URI that is.
 */
@ExtendWith(Browser.class)
class MlflowLinkBrowserTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void everyLinkFormLandsOnItsPage(ChromeDriver browser) {
        ModelData models = new ModelData(server.http(), "default");
        String experimentId = models.experiment("linked");
        models.model("linked model");
        String runId = models.version("linked model", experimentId);
        assertThat(server.http().post("/api/v1/workspaces", Map.of("name", "team-l")).status()).isEqualTo(201);
        ModelData other = new ModelData(server.http(), "team-l");
        String otherExperiment = other.experiment("theirs");

        Map<String, String> links = new LinkedHashMap<>();
        links.put("/#/experiments/" + experimentId + "/runs/" + runId, "/runs/" + runId);
        links.put("/#/experiments/" + experimentId, "/experiments/" + experimentId);
        links.put("/#/models/linked%20model/versions/1", "/models/linked%20model/versions/1");
        links.put("/#/models/linked%20model", "/models/linked%20model");
        links.put("/w/team-l/#/experiments/" + otherExperiment, "/w/team-l/experiments/" + otherExperiment);
        links.forEach((link, page) -> {
            browser.get(server.url() + link);
            new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> driver.getCurrentUrl().equals(server.url() + page));
            assertThat(browser.getTitle()).as(link).doesNotContain("Not found");
        });
        assertThat(browser.getPageSource()).contains("theirs");
    }
}
