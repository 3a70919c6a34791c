package dev.atelier.server.web;

import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.util.Optional;

import static dev.atelier.server.web.Browser.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model version's Deploy form in headless Chromium: it creates an online endpoint with a deployment of the version
 * (or a batch endpoint with one) through the native API, links to it, and the endpoints page then lists it; a Reader
 * sees the form disabled with a hint.
 */
@ExtendWith(Browser.class)
class DeployFormBrowserTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void theFormCreatesAnOnlineEndpointThatTheEndpointsPageThenLists(ChromeDriver browser) {
        ModelData models = new ModelData(server.http(), "default");
        models.model("Fraud_Detector");
        models.version("Fraud_Detector", models.experiment("fraud"));

        browser.get(server.url() + "/models/Fraud_Detector/versions/1");
        WebElement endpoint = waitFor(browser, () -> browser.findElement(By.cssSelector("#deploy-form input[name=endpoint]")));
        assertThat(endpoint.getAttribute("value")).isEqualTo("fraud-detector");
        browser.findElement(By.id("deploy-button")).click();
        WebElement link = waitFor(browser, () -> browser.findElement(By.id("deployed-link")));
        assertThat(browser.findElement(By.id("deploy-result")).getText()).contains("Deployment blue created on fraud-detector");
        link.click();
        waitFor(browser, () -> browser.getCurrentUrl().endsWith("/endpoints/fraud-detector"));

        var deployment = server.http().get("/api/v1/endpoints/fraud-detector/deployments/blue").json();
        assertThat(deployment.path("model").asText()).isEqualTo("models:/Fraud_Detector/1");
        browser.get(server.url() + "/endpoints");
        assertThat(waitFor(browser, () -> browser.findElement(By.cssSelector("#endpoints tr[data-endpoint='fraud-detector']")))
                .findElement(By.cssSelector("td.deployments")).getText()).startsWith("1");
        assertThat(Browser.cspViolations(browser)).isEmpty();
    }

    @Test
    void theBatchChoiceCreatesABatchEndpoint(ChromeDriver browser) {
        ModelData models = new ModelData(server.http(), "default");
        models.model("churn");
        models.version("churn", models.experiment("churn"));

        browser.get(server.url() + "/models/churn/versions/1");
        waitFor(browser, () -> browser.findElement(By.cssSelector("#deploy-form input[name=kind][value=batch]"))).click();
        waitFor(browser, () -> browser.findElement(By.cssSelector("#deploy-form input[name=endpoint]")).getAttribute("value")
                .equals("churn-batch"));
        assertThat(browser.findElement(By.cssSelector("#deploy-form input[name=deployment]")).getAttribute("value")).isEqualTo("default");
        browser.findElement(By.id("deploy-button")).click();
        waitFor(browser, () -> browser.findElement(By.id("deployed-link"))).click();
        waitFor(browser, () -> browser.getCurrentUrl().endsWith("/batch-endpoints/churn-batch"));
        browser.get(server.url() + "/batch-endpoints");
        waitFor(browser, () -> browser.findElement(By.cssSelector("#batch-endpoints tr[data-endpoint='churn-batch']")));
    }

    @Test
    void aReaderSeesTheFormDisabledWithAHint(ChromeDriver browser) {
        try (SignedInPortal portal = SignedInPortal.start("deploy-reader")) {
            portal.addUser("rita", Optional.of("Reader"));
            ModelData models = new ModelData(portal.server().http().withHeader("Authorization", portal.admin()), "default");
            models.model("read-only-model");
            models.version("read-only-model", models.experiment("read-only"));
            portal.signIn(browser, "rita", "/models/read-only-model/versions/1");
            WebElement button = waitFor(browser, () -> browser.findElement(By.id("deploy-button")));
            assertThat(button.isEnabled()).isFalse();
            assertThat(browser.findElement(By.id("deploy-hint")).getText()).contains("Contributor");
            assertThat(browser.findElements(By.id("version-menu"))).isEmpty();
        }
    }
}
