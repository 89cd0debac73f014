package io.meshwatch.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.meshwatch.testing.ExternalProgram;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian Chromium driven through the system chromedriver: both paths are given to
 * Selenium, so Selenium Manager never looks for (or downloads) a browser or driver. A missing
 * program fails the test with its Debian package. Each browser has a fresh profile directory.
 */
public final class Browser implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    public final ChromeDriver driver;
    private final Path profile;
    private final URL base;
    private final List<String> consoleErrors = new ArrayList<>();

    public Browser(URL base, int width, int height) {
        Path chromium = ExternalProgram.require(CHROMIUM, "chromium");
        Path chromedriver = ExternalProgram.require(CHROMEDRIVER, "chromium-driver");
        this.base = base;
        try {
            profile = Files.createTempDirectory("meshwatch-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty("webdriver.chrome.driver", chromedriver.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(width, height));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(90));
    }

    public void open(String hash) {
        driver.get(base.toString().replaceAll("/$", "") + "/" + hash);
    }

    JavascriptExecutor js() {
        return driver;
    }

    public WebDriverWait waiting(Duration d) {
        WebDriverWait wait = new WebDriverWait(driver, d, Duration.ofMillis(50));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    WebElement await(By by, Duration d) {
        return waiting(d).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Signs in with a key and waits for the navigation and the live stream. */
    public void signIn(String key) {
        open("");
        WebElement input = await(By.id("key"), Duration.ofSeconds(20));
        input.clear();
        input.sendKeys(key);
        driver.findElement(By.cssSelector("#signin button[type=submit]")).click();
        await(By.id("signout"), Duration.ofSeconds(20));
        waiting(Duration.ofSeconds(20)).until(d -> "on".equals(
                d.findElement(By.id("live")).getAttribute("data-live")));
    }

    /**
     * Runs axe-core (bundled as a test resource) inside the page and fails on any serious or critical
     * violation, listing them.
     */
    void assertAccessible(String where) {
        js().executeScript(axeSource());
        Object result = js().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { resultTypes: ['violations'] })
                  .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact || '', help: v.help,
                    nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(' | ') }))))
                  .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: '' }]));
                """);
        List<String> bad = new ArrayList<>();
        for (Object o : (List<?>) result) {
            Map<?, ?> v = (Map<?, ?>) o;
            if ("serious".equals(v.get("impact")) || "critical".equals(v.get("impact"))) {
                bad.add(v.get("impact") + " " + v.get("id") + ": " + v.get("help") + " at " + v.get("nodes"));
            }
        }
        assertEquals(List.of(), bad, "axe-core on " + where + " found serious or critical violations");
    }

    private static String axeSource() {
        try (InputStream in = Browser.class.getResourceAsStream("/console/axe.min.js")) {
            if (in == null) {
                fail("src/test/resources/console/axe.min.js (axe-core) is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The browser console's errors since the last call, less those {@code expected} accepts. */
    List<String> consoleErrors(Predicate<String> expected) {
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.WARNING.intValue()) {
                consoleErrors.add(e.getLevel() + " " + e.getMessage());
            }
        }
        List<String> out = consoleErrors.stream().filter(expected.negate()).toList();
        consoleErrors.clear();
        return out;
    }

    /** Opens a link's details through its row in the links table (on a phone the lines lie close together). */
    void selectLink(String key) {
        waiting(Duration.ofSeconds(20)).until(d -> {
            d.findElement(By.cssSelector("tr[data-row='" + key + "'] button")).click();
            return true;
        });
    }

    void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temporary profile is harmless
            }
        }
    }
}
