package dev.atelier.server.web;

import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import static dev.atelier.server.web.Browser.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model registry's pages in headless Chromium: from the models list to a model and one of its
 * versions, whose signature is shown. With {@code -Dportal.screenshots=docs/images} the version
 * page is saved as {@code portal-models.png}.
 */
@ExtendWith(Browser.class)
class ModelBrowserTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void fromTheListToAVersionAndItsSignature(ChromeDriver browser) {
        ModelData models = new ModelData(server.http(), "default");
        String experimentId = models.experiment("iris");
        models.model("iris-classifier");
        models.version("iris-classifier", experimentId);
        models.version("iris-classifier", experimentId);
        models.call("registered-models/alias", Map.of("name", "iris-classifier", "alias", "champion", "version", "2"));
        assertThat(server.http().send("PATCH", "/api/2.0/mlflow/registered-models/update",
                Map.of("name", "iris-classifier", "description", "Predicts the species of an iris.")).status()).isEqualTo(200);

        browser.get(server.url() + "/models");
        browser.findElement(By.cssSelector("#models a.model-name")).click();
        waitFor(browser, () -> browser.findElements(By.cssSelector("#versions tr[data-version]")).size() == 2);
        assertThat(browser.findElement(By.id("model-aliases")).getText()).contains("@champion: v2");
        browser.findElement(By.cssSelector("#versions tr[data-version='2'] a.version-link")).click();
        WebElement inputs = waitFor(browser, () -> browser.findElement(By.cssSelector("#signature table[data-part='inputs']")));
        assertThat(inputs.getText()).contains("features", "tensor float32");
        assertThat(browser.findElement(By.id("lineage-run")).getText()).isEqualTo("train-iris-classifier");
        screenshot(browser, "models");
    }

    @Test
    void aliasesTagsAndStageEditedOnThePagesPersist(ChromeDriver browser) {
        ModelData models = new ModelData(server.http(), "default");
        String experimentId = models.experiment("wine");
        models.model("wine-quality");
        models.version("wine-quality", experimentId);
        models.version("wine-quality", experimentId);

        browser.get(server.url() + "/models/wine-quality");
        openMenu(browser, "model-menu");
        WebElement alias = waitFor(browser, () -> browser.findElement(By.cssSelector("#set-alias-form input[name=alias]")));
        alias.sendKeys("champion");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.cssSelector("#set-alias-form select[name=version]")))
                .selectByValue("1");
        browser.findElement(By.id("set-alias")).click();
        waitFor(browser, () -> browser.findElement(By.id("model-aliases")).getText().contains("@champion: v1"));
        openMenu(browser, "model-menu");
        browser.findElement(By.cssSelector("#model-tag-form input[name=key]")).sendKeys("team");
        browser.findElement(By.cssSelector("#model-tag-form input[name=value]")).sendKeys("sommeliers");
        browser.findElement(By.id("add-model-tag")).click();
        waitFor(browser, () -> browser.findElement(By.cssSelector("#model-tags tr[data-tag='team']")).getText().contains("sommeliers"));

        browser.navigate().refresh();
        waitFor(browser, () -> browser.findElement(By.id("model-aliases")).getText().contains("@champion: v1"));
        assertThat(browser.findElement(By.cssSelector("#model-tags tr[data-tag='team']")).getText()).contains("sommeliers");
        var stored = server.http().get("/api/2.0/mlflow/registered-models/get?name=wine-quality").json().path("registered_model");
        assertThat(stored.path("aliases").toString()).contains("champion");
        assertThat(stored.path("tags").toString()).contains("sommeliers");

        browser.get(server.url() + "/models/wine-quality/versions/2");
        openMenu(browser, "version-menu");
        waitFor(browser, () -> browser.findElement(By.cssSelector("#version-tag-form input[name=key]"))).sendKeys("validated");
        browser.findElement(By.cssSelector("#version-tag-form input[name=value]")).sendKeys("yes");
        browser.findElement(By.id("add-version-tag")).click();
        waitFor(browser, () -> browser.findElement(By.id("version-tags")).getText().contains("validated=yes"));
        openMenu(browser, "version-menu");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.cssSelector("#version-stage-form select[name=stage]")))
                .selectByValue("Staging");
        browser.findElement(By.id("set-stage")).click();
        waitFor(browser, () -> browser.findElement(By.id("version-stage")).getText().equals("Staging"));
        browser.findElement(By.cssSelector("#version-tags [data-tag='validated'] button")).click();
        waitFor(browser, () -> !browser.findElement(By.id("version-tags")).getText().contains("validated"));

        browser.get(server.url() + "/models/wine-quality");
        waitFor(browser, () -> browser.findElement(By.cssSelector("#model-aliases [data-alias='champion'] button"))).click();
        waitFor(browser, () -> !browser.findElement(By.id("model-aliases")).getText().contains("champion"));
        browser.get(server.url() + "/models/wine-quality/versions/1");
        openMenu(browser, "version-menu");
        waitFor(browser, () -> browser.findElement(By.id("delete-version"))).click();
        browser.switchTo().alert().accept();
        waitFor(browser, () -> browser.getCurrentUrl().endsWith("/models/wine-quality"));
        waitFor(browser, () -> browser.findElements(By.cssSelector("#versions tr[data-version]")).size() == 1);
        assertThat(Browser.cspViolations(browser)).isEmpty();
    }

    @Test
    void aRunsModelFolderIsRegisteredFromTheArtifactsAndTheRunListsItsVersions(ChromeDriver browser) {
        PortalData runs = new PortalData(server.http(), "default");
        String experimentId = runs.experiment("penguins");
        String runId = runs.run(experimentId, "train-penguins", Map.of(), Map.of());
        runs.artifact(experimentId, runId, "model/MLmodel", ModelData.MLMODEL);
        runs.artifact(experimentId, runId, "model/model.onnx", "not really onnx");
        runs.finish(runId);

        browser.get(server.url() + "/runs/" + runId);
        waitFor(browser, () -> browser.findElement(By.id("run-models-status")).getText().contains("No model version"));
        browser.get(server.url() + "/runs/" + runId + "/artifacts?path=model");
        waitFor(browser, () -> browser.findElement(By.cssSelector("#register-model-form input[name=name]"))).sendKeys("penguin-species");
        browser.findElement(By.id("register-model")).click();
        waitFor(browser, () -> browser.getCurrentUrl().endsWith("/models/penguin-species/versions/1"));
        waitFor(browser, () -> browser.findElement(By.id("version-name")).getText().contains("penguin-species"));
        assertThat(browser.findElement(By.id("deploy-online")).getAttribute("textContent")).contains("model: models:/penguin-species/1");

        browser.get(server.url() + "/runs/" + runId + "/artifacts?path=model");
        waitFor(browser, () -> browser.findElement(By.cssSelector("#register-model-form input[name=name]"))).sendKeys("penguin-species");
        browser.findElement(By.id("register-model")).click();
        waitFor(browser, () -> browser.getCurrentUrl().endsWith("/models/penguin-species/versions/2"));

        browser.get(server.url() + "/runs/" + runId);
        WebElement versions = waitFor(browser, () -> browser.findElement(By.cssSelector("#run-model-versions:not([hidden])")));
        assertThat(versions.findElements(By.cssSelector("tbody tr"))).hasSize(2);
        versions.findElement(By.cssSelector("tr[data-version='penguin-species/2'] a")).click();
        waitFor(browser, () -> browser.getCurrentUrl().endsWith("/models/penguin-species/versions/2"));
        assertThat(Browser.cspViolations(browser)).isEmpty();
    }

    /** Opens the page's Edit menu {@code id} (a closed one hides its forms). */
    private static void openMenu(ChromeDriver browser, String id) {
        waitFor(browser, () -> browser.findElement(By.cssSelector("#" + id + " > summary"))).click();
        waitFor(browser, () -> browser.findElement(By.cssSelector("#" + id + "[open]")));
    }

    /** Saves the whole page as {@code <dir>/portal-<name>.png} when -Dportal.screenshots=<dir> is set. */
    private static void screenshot(ChromeDriver browser, String name) {
        String folder = System.getProperty("portal.screenshots");
        if (folder == null || folder.isBlank()) {
            return;
        }
        try {
            Path target = Path.of(folder).resolve("portal-" + name + ".png");
            Files.createDirectories(target.getParent());
            Dimension window = browser.manage().window().getSize();
            Number height = (Number) browser.executeScript("return document.documentElement.scrollHeight");
            browser.manage().window().setSize(new Dimension(window.getWidth(), Math.min(2400, height.intValue() + 140)));
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            browser.manage().window().setSize(window);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
