package dev.atelier.server.web;

import dev.atelier.server.designer.DesignerFixtures;
import dev.atelier.server.testing.HttpJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

import java.util.Map;
import java.util.Optional;

import static dev.atelier.server.web.Browser.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The designer with authentication on: a Reader signed in through the login page sees the drafts and opens one
 * read-only (no new draft, no submit, no dragging, disabled fields, the keyboard changes nothing), and the API refuses
 * the Reader's saves; a draft is saved by its owner only.
 */
@ExtendWith(Browser.class)
class DesignerReaderBrowserTest {
    private static SignedInPortal portal;
    private static String draftId;

    @BeforeAll
    static void start() {
        portal = SignedInPortal.start("designer-reader");
        Map<String, String> roles = Map.of("dana", "Data Scientist", "dave", "Data Scientist", "rita", "Reader");
        roles.forEach((user, role) -> portal.addUser(user, Optional.of(role)));
        DesignerFixtures.registerComponents(portal.server().http().withHeader("Authorization", portal.admin()), "");
        HttpJson.Response created = portal.call("POST", "/api/v1/designer/drafts", Map.of("name", "dana's pipeline", "pipeline_yaml", """
                type: pipeline
                jobs:
                  make: {component: azureml:make_table:1, inputs: {rows: 4}}
                  count:
                    component: azureml:count_rows:1
                    inputs: {data: "${{parent.jobs.make.outputs.data}}"}
                """), dana());
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        draftId = created.json().path("id").asText();
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void aReaderSeesDraftsReadOnly(ChromeDriver browser) {
        try {
            portal.signIn(browser, "rita", "/designer");
            assertThat(browser.findElement(By.id("drafts")).getText()).contains("dana's pipeline", "dana");
            assertThat(browser.findElements(By.id("new-draft"))).isEmpty();
            assertThat(browser.findElements(By.id("import-yaml"))).isEmpty();

            browser.findElement(By.linkText("dana's pipeline")).click();
            DesignerCanvas canvas = new DesignerCanvas(browser).ready();
            assertThat(browser.findElement(By.id("designer-readonly")).getText()).isEqualTo("read-only");
            assertThat(browser.findElements(By.id("designer-submit"))).isEmpty();
            assertThat(canvas.steps()).containsExactly("make", "count");
            assertThat(canvas.edges()).hasSize(1);
            assertThat(browser.findElement(By.cssSelector(".palette-item[data-component='make_table:1']")).getAttribute("draggable"))
                    .isNotEqualTo("true");

            canvas.drag("make_table:1", 200, 200);
            canvas.click("s:make");
            WebElement rows = waitFor(browser, () -> browser.findElement(By.cssSelector("#designer-panel [data-input='rows']")));
            assertThat(rows.isEnabled()).isFalse();
            new Actions(browser).sendKeys(Keys.DELETE).perform();
            canvas.connect("make", "data", "count", "data");
            assertThat(canvas.steps()).containsExactly("make", "count");
            assertThat(canvas.version()).isEqualTo(1);
            assertThat(portal.call("GET", "/api/v1/designer/drafts/" + draftId, null, dana()).json().path("latest_version").asInt())
                    .as("nothing saved").isEqualTo(1);
        } finally {
            browser.manage().deleteAllCookies();
        }
    }

    @Test
    void onlyTheOwnerSavesOrDeletesADraft() {
        Map<String, Object> save = Map.of("base_version", 1, "document", Map.of("pipeline", Map.of("type", "pipeline")));
        assertThat(portal.call("PUT", "/api/v1/designer/drafts/" + draftId, save, SignedInPortal.basicOf("rita")).status()).isEqualTo(403);
        HttpJson.Response other = portal.call("PUT", "/api/v1/designer/drafts/" + draftId, save, SignedInPortal.basicOf("dave"));
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.text()).contains("belongs to dana");
        assertThat(portal.call("DELETE", "/api/v1/designer/drafts/" + draftId, null, SignedInPortal.basicOf("dave")).status()).isEqualTo(403);
        assertThat(portal.call("POST", "/api/v1/designer/drafts", Map.of("name", "mine"), SignedInPortal.basicOf("rita")).status())
                .isEqualTo(403);
        assertThat(portal.call("GET", "/api/v1/designer/drafts/" + draftId, null, SignedInPortal.basicOf("dave")).status()).isEqualTo(200);
    }

    private static String dana() {
        return SignedInPortal.basicOf("dana");
    }



}
