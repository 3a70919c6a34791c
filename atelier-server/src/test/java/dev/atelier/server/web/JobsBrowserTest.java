package dev.atelier.server.web;

import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;


import static dev.atelier.server.web.Browser.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/** The jobs pages in headless Chromium: a finished job's logs, and a running job's logs growing as htmx polls for them. */
@ExtendWith(Browser.class)
class JobsBrowserTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void jobsListLeadsToAFinishedJobsLogsAndARunningJobsLogsAreFollowed(ChromeDriver browser) {
        JobsData jobs = new JobsData(server.http());
        jobs.submit("", """
                name: hello-job
                display_name: Hello job
                command: echo hello from the job; echo second line
                """);
        jobs.await("", "hello-job", null);
        jobs.submit("", """
                name: slow-job
                command: echo first; sleep 3; echo middle; sleep 3; echo last
                """);

        browser.get(server.url() + "/jobs");
        assertThat(browser.findElement(By.id("jobs")).getText()).contains("hello-job", "Completed");
        browser.findElement(By.linkText("hello-job")).click();
        WebElement logs = waitFor(browser, () -> browser.findElement(By.id("job-logs")));
        assertThat(logs.getText()).contains("hello from the job", "second line");
        assertThat(browser.findElement(By.id("job-status")).getText()).isEqualTo("Completed");

        jobs.await("", "slow-job", "Running");
        browser.get(server.url() + "/jobs/slow-job");
        waitFor(browser, () -> browser.findElement(By.id("job-logs")).getText().contains("last"));
        assertThat(browser.findElement(By.id("job-logs")).getText()).containsSubsequence("first", "middle", "last");
        jobs.await("", "slow-job", null);
        waitFor(browser, () -> browser.findElements(By.id("log-follow")).isEmpty());
        waitFor(browser, () -> browser.findElement(By.id("job-status")).getText().equals("Completed"));
        assertThat(browser.findElements(By.cssSelector("#job-logs #job-status"))).isEmpty();
    }
}
