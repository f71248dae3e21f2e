package io.sluice.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.web.Chromium.Wait;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real headless Chromium (the Debian packages {@code chromium} and {@code chromium-driver}, their
 * paths given, so nothing is downloaded; {@code .ci/run} installs them), against a running job: the token asked once,
 * the job graph with its 3 vertices, records/s of the source above zero and the page updating without a reload, the
 * stalling split highlighted, a savepoint from the button in the checkpoint history; a screenshot of each page in
 * {@code target/}. Without Chromium it fails, saying what to install.
 */
class DashboardBrowserTest {

    @Test
    void theDashboardShowsARunningJobAndTakesASavepoint(@TempDir Path dir) throws Exception {
        try (RunningJob job = new RunningJob(dir)) {
            Chromium.with(dir, driver -> check(driver, job));
        }
    }

    private static void check(WebDriver driver, RunningJob job) throws Exception {
        Chromium.login(driver, job.server.url(), job.token.hex());
        Wait wait = new Wait(driver);
        wait.until(d -> d.findElements(By.cssSelector("#jobs tbody tr")).size() == 1);
        wait.until(d -> d.findElement(By.id("jobs")).getText().contains("web test job"));
        Chromium.screenshot(driver, "dashboard-overview.png");

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
        Chromium.screenshot(driver, "dashboard-job.png");
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
}
