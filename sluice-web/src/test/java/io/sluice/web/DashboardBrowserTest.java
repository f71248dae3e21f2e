package io.sluice.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real headless Chromium (the Debian packages {@code chromium} and {@code chromium-driver}, their
 * paths given, so nothing is downloaded; {@code .ci/run} installs them), against a running job: the token asked once,
 * the job graph with its 3 vertices, records/s of the source above zero and the page updating without a reload, the
 * stalling split highlighted, a savepoint from the button in the checkpoint history; a screenshot of each page in
 * {@code target/}. Without Chromium it fails, saying what to install.
 */
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    void theDashboardShowsARunningJobAndTakesASavepoint(@TempDir Path dir) throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the dashboard test needs " + CHROMIUM + " and " + CHROMEDRIVER
                        + ": apt-get install -y chromium chromium-driver");
        try (RunningJob job = new RunningJob(dir)) {
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                    .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--window-size=1400,1200", "--user-data-dir=" + dir.resolve("chromium-profile"));
            WebDriver driver = null;
            try {
                driver = new ChromeDriver(service, options);
                check(driver, job);
            } finally {
                if (driver != null) {
                    driver.quit(); // ends the browser
                }
                service.stop(); // ends chromedriver
            }
        }
    }

    private static void check(WebDriver driver, RunningJob job) throws Exception {
        driver.get(job.server.url());
        Wait wait = new Wait(driver);
        wait.until(d -> d.findElement(By.id("token")).isDisplayed());
        driver.findElement(By.id("token")).sendKeys(job.token.hex());
        driver.findElement(By.id("login-button")).click();
        wait.until(d -> d.findElements(By.cssSelector("#jobs tbody tr")).size() == 1);
        wait.until(d -> d.findElement(By.id("jobs")).getText().contains("web test job"));
        screenshot(driver, "dashboard-overview.png");

        wait.until(d -> { // the table is redrawn every second: click again if the link went stale
            d.findElement(By.cssSelector("#jobs tbody a")).click();
            return true;
        });
        wait.until(d -> d.findElements(By.cssSelector("#graph g.vertex")).size() == 3);
        assertEquals(3, driver.findElements(By.cssSelector("#graph g.vertex")).size());
        double first = wait.until(rateAbove(0));
        String info = driver.findElement(By.id("job-info")).getText();
        wait.until(d -> !d.findElement(By.id("job-info")).getText().equals(info)); // live, no reload
        assertTrue(first > 0);
        wait.until(d -> d.findElements(By.cssSelector("#splits tr.holder")).size() == 1);
        wait.until(d -> "seq-0".equals(d.findElement(By.cssSelector("#splits tr.holder")).getAttribute("data-split")));
        wait.until(d -> Double.parseDouble(d.findElement(By.cssSelector("#graph g.vertex[data-vertex='0']"))
                .getAttribute("data-backpressured")) > 0.5);

        String target = job.checkpoints.resolve("from-the-button").toString();
        driver.findElement(By.id("target")).sendKeys(target);
        driver.findElement(By.id("savepoint")).click();
        wait.until(d -> d.findElement(By.id("action")).getText().startsWith("savepoint done"));
        wait.until(d -> d.findElements(By.cssSelector("#checkpoints tbody tr")).stream()
                .anyMatch(r -> r.getText().contains("savepoint") && r.getText().contains("COMPLETED")));
        screenshot(driver, "dashboard-job.png");
    }

    /** Polls a condition on the page every 200 ms for at most 30 s; what the page throws meanwhile counts as not yet. */
    private record Wait(WebDriver driver) {
        <T> T until(Function<WebDriver, T> condition) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
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
            throw new AssertionError("the page did not get there within 30 s (status line: '"
                    + driver.findElement(By.id("status")).getText() + "')", last);
        }
    }

    /** Waits for the source's records/s on screen to be above {@code floor}; returns it. */
    private static Function<WebDriver, Double> rateAbove(double floor) {
        return d -> {
            List<WebElement> rates = d.findElements(By.cssSelector("#graph text.rate[data-vertex='0']"));
            if (rates.isEmpty()) {
                return null;
            }
            double rate = Double.parseDouble(rates.getFirst().getText().replace(" records/s", ""));
            return rate > floor ? rate : null;
        };
    }

    private static void screenshot(WebDriver driver, String name) throws Exception {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
