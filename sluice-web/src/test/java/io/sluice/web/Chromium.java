package io.sluice.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium for the dashboard tests: the Debian packages {@code chromium} and {@code chromium-driver},
 * their paths given, so nothing is downloaded ({@code .ci/run} installs them); without them a test fails saying what
 * to install. The browser and its driver are ended on every path.
 */
final class Chromium {
    private static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {}

    /** What a test does with the browser. */
    @FunctionalInterface
    interface Session {
        void run(WebDriver driver) throws Exception;
    }

    /** Runs {@code session} in a fresh headless browser whose profile lives in {@code dir}, then ends it. */
    static void with(Path dir, Session session) throws Exception {
        assertTrue(Files.isExecutable(BINARY) && Files.isExecutable(DRIVER), "the dashboard tests need " + BINARY + " and "
                + DRIVER + ": apt-get install -y chromium chromium-driver");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(BINARY.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--window-size=1400,1200", "--user-data-dir=" + dir.resolve("chromium-profile"));
        WebDriver driver = null;
        try {
            driver = new ChromeDriver(service, options);
            session.run(driver);
        } finally {
            if (driver != null) {
                driver.quit(); // ends the browser
            }
            service.stop(); // ends chromedriver
        }
    }

    /** Opens the dashboard at {@code url} and gives it the token. */
    static void login(WebDriver driver, String url, String token) throws InterruptedException {
        driver.get(url);
        Wait wait = new Wait(driver, Duration.ofSeconds(30));
        wait.until(d -> d.findElement(By.id("token")).isDisplayed());
        driver.findElement(By.id("token")).sendKeys(token);
        driver.findElement(By.id("login-button")).click();
    }

    /** Polls a condition on the page every 200 ms for at most {@code limit}; what the page throws counts as not yet. */
    record Wait(WebDriver driver, Duration limit) {
        Wait(WebDriver driver) {
            this(driver, Duration.ofSeconds(30));
        }

        <T> T until(Function<WebDriver, T> condition) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            RuntimeException last = null;
            while (System.nanoTime() < deadline) {
                try {
                    T value = condition.apply(driver);
                    if (value != null && !Boolean.FALSE.equals(value)) {
                        return value;
                    }
                } catch (org.openqa.selenium.WebDriverException | NumberFormatException e) {
                    last = e;
                }
                Thread.sleep(200);
            }
            throw new AssertionError("the page did not get there within " + limit.toSeconds() + " s (status line: '"
                    + driver.findElement(By.id("status")).getText() + "')", last);
        }
    }

    /** Saves a screenshot of the page as {@code target/NAME}. */
    static void screenshot(WebDriver driver, String name) throws Exception {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
