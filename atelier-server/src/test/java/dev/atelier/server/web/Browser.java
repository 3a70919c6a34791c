package dev.atelier.server.web;

import dev.atelier.server.testing.RequiredTool;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One headless Chromium for every browser test of the run (starting one costs seconds): Debian's
 * {@code /usr/bin/chromium} driven by {@code /usr/bin/chromedriver}, both passed explicitly so that
 * Selenium Manager never downloads anything. Closed when the test run ends. When either binary is
 * missing the tests are skipped with a message saying how to install them. Use it with
 * {@code @ExtendWith(Browser.class)} and a {@code ChromeDriver} parameter.
 */
final class Browser implements ParameterResolver {
    static final Path CHROMIUM = Path.of(System.getProperty("atelier.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("atelier.chromedriver", "/usr/bin/chromedriver"));
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Browser.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ChromeDriver.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ChromeDriver driver = driver(context);
        reset(driver);
        return driver;
    }

    /**
     * Leaves nothing of the previous test in the shared browser: one window on {@code about:blank} and no cookies.
     * Every test server listens on 127.0.0.1, and cookies do not depend on the port, so a session of one test's
     * server would otherwise be sent to the next; a page left open (Jupyter's, a live job page) would keep running
     * its scripts against a server that has stopped.
     */
    private static void reset(ChromeDriver driver) {
        String first = null;
        for (String handle : driver.getWindowHandles()) {
            if (first == null) {
                first = handle;
            } else {
                driver.switchTo().window(handle).close();
            }
        }
        driver.switchTo().window(first);
        driver.get("about:blank");
        driver.executeCdpCommand("Network.clearBrowserCookies", java.util.Map.of());
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", java.util.Map.of());
        driver.executeCdpCommand("Emulation.setEmulatedMedia", java.util.Map.of("features",
                java.util.List.of(java.util.Map.of("name", "prefers-color-scheme", "value", ""))));
    }

    /**
     * Makes the page's viewport {@code width} x {@code height} CSS pixels (a desktop browser, not a phone's
     * zoomed-out layout viewport, so that {@code innerWidth} stays {@code width} whatever the page's width).
     * The next test starts with the window's own size again.
     */
    static void viewport(ChromeDriver driver, int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", java.util.Map.of(
                "width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    /**
     * Polls {@code condition} until it gives a value other than {@code null} or {@code false}, for at most 30 s.
     * Exceptions of the driver (an element not there yet, or replaced while read) count as not yet.
     */
    static <T> T waitFor(ChromeDriver driver, java.util.function.Supplier<T> condition) {
        return waitFor(driver, Duration.ofSeconds(30), condition);
    }

    static <T> T waitFor(ChromeDriver driver, Duration timeout, java.util.function.Supplier<T> condition) {
        return new org.openqa.selenium.support.ui.WebDriverWait(driver, timeout)
                .ignoring(org.openqa.selenium.WebDriverException.class)
                .until(ignored -> {
                    T value = condition.get();
                    return value instanceof Boolean b && !b ? null : value;
                });
    }

    /** The running browser and its temporary profile, closed with the root context at the end of the test run. */
    private record Shared(ChromeDriver driver, Path profile) implements AutoCloseable {
        @Override
        public void close() {
            try {
                driver.quit();
            } finally {
                deleteQuietly(profile);
            }
        }
    }

    /**
     * The shared browser, started on first use; skips the calling test when Chromium is not installed, and fails it
     * instead with {@code CI=true} ({@link RequiredTool}).
     */
    static ChromeDriver driver(ExtensionContext context) {
        RequiredTool.require(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                CHROMIUM + " or " + CHROMEDRIVER + " (apt-get install chromium chromium-driver)");
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(Shared.class, key -> start(), Shared.class).driver();
    }

    private static Shared start() {
        try {
            Path profile = Files.createTempDirectory("atelier-chromium");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                    "--user-data-dir=" + profile, "--window-size=1440,1000", "--disable-dev-shm-usage");
            // The browser's console, to find Content-Security-Policy violations (cspViolations).
            org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
            logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            return new Shared(driver, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The console messages about Content-Security-Policy violations since the last call (reading drains
     * the console): a portal page that still has inline script or a handler attribute shows up here.
     */
    static java.util.List<String> cspViolations(ChromeDriver driver) {
        return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .map(org.openqa.selenium.logging.LogEntry::getMessage)
                .filter(message -> message.contains("Content Security Policy") || message.contains("Content-Security-Policy"))
                .toList();
    }

    private static void deleteQuietly(Path folder) {
        try (var paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary profile left behind is harmless.
        }
    }
}
