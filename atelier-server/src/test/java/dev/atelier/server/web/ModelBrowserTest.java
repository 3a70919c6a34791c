package dev.atelier.server.web;

import static dev.atelier.server.web.Browser.waitFor;
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
