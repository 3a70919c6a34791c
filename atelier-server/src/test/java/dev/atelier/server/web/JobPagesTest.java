package dev.atelier.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The jobs, compute and environment pages over HTTP, with real local jobs (shell commands). */
class JobPagesTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static JobsData jobs;

    @BeforeAll
    static void submitJobs() {
        jobs = new JobsData(server.http());
        String code = jobs.snapshot(Map.of("run.sh", "echo line-one\necho line-err >&2\necho line-two\necho line-three\n", "notes.txt", "<b>bold</b>"));
        jobs.submit("", """
                name: echo-job
                display_name: "<script>alert(1)</script>"
                code: snapshot:%s
                command: sh run.sh
                """.formatted(code));
        jobs.submit("", """
                name: failing-job
                command: echo boom; exit 3
                """);
        jobs.await("", "echo-job", null);
        jobs.await("", "failing-job", null);
    }

    @Test
    void finishedJobIsListedAndItsPageShowsTimelineFilesAndLogs() {
        HttpJson.Response list = jobs.page("/jobs");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.text()).contains("data-job=\"echo-job\"", "data-job=\"failing-job\"", "Completed", "Failed", "/compute/local");

        String html = jobs.page("/jobs/echo-job").text();
        assertThat(html).contains("id=\"job-timeline\"", "Queued", "Running", "Completed", "id=\"job-run\"", "href=\"/runs/"
                + jobs.job("", "echo-job").path("run_id").asText() + "\"");
        assertThat(html).contains("id=\"snapshot-files\"", "run.sh", "notes.txt");
        assertThat(html.indexOf("line-one")).isPositive().isLessThan(html.indexOf("line-two"));
        assertThat(html.indexOf("line-two")).isLessThan(html.indexOf("line-three"));
        assertThat(html).contains("class=\"log-line stderr\" data-seq=\"", "line-err").doesNotContain("id=\"log-follow\"", "id=\"cancel-job\"");

        String failed = jobs.page("/jobs/failing-job").text();
        assertThat(failed).contains("id=\"job-exit-code\">3<", "id=\"job-reason\">Exit code 3<", "boom");
    }

    @Test
    void jobPageNamesItsExperimentShowsTheCommandAndItsRunLinksBack() {
        String html = jobs.page("/jobs/failing-job").text();
        assertThat(html).contains("id=\"job-experiment\">Default<", "id=\"job-command\">echo boom; exit 3<");
        String run = jobs.page("/runs/" + jobs.job("", "failing-job").path("run_id").asText()).text();
        assertThat(run).contains("id=\"run-job\" href=\"/jobs/failing-job\"");
        // The job's atelier.* tags are system tags: listed apart, never offered for removal.
        assertThat(run).contains("atelier.job.name").doesNotContain("name=\"key\" value=\"atelier.job.name\"");
    }

    @Test
    void statusFilterShowsOnlyThatStatus() {
        String failed = jobs.page("/jobs?status=Failed").text();
        assertThat(failed).contains("data-job=\"failing-job\"").doesNotContain("data-job=\"echo-job\"");
        assertThat(jobs.page("/jobs?status=Queued").text()).contains("id=\"no-jobs\"");
        assertThat(jobs.page("/jobs?status=Sleeping").status()).isEqualTo(400);
    }

    @Test
    void typeFilterShowsOnlyThatType() {
        assertThat(jobs.page("/jobs?type=command").text()).contains("data-job=\"echo-job\"", "data-job=\"failing-job\"");
        assertThat(jobs.page("/jobs?type=sweep&status=").text()).doesNotContain("data-job=\"echo-job\"");
        HttpJson.Response bad = jobs.page("/jobs?type=notebook");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).contains("type");
    }

    @Test
    void displayNamesAndSnapshotFilesAreEscaped() {
        String html = jobs.page("/jobs/echo-job?file=notes.txt").text();
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "id=\"file-content\">&lt;b&gt;bold&lt;/b&gt;")
                .doesNotContain("<script>alert(1)</script>", "<b>bold</b>");
        assertThat(jobs.page("/jobs").text()).doesNotContain("<script>alert(1)</script>");
        assertThat(jobs.page("/jobs/echo-job?file=missing.txt").status()).isEqualTo(404);
    }

    @Test
    void runningJobsLogsAreFollowedAndItCanBeCanceled() {
        jobs.submit("", """
                name: sleeper
                command: echo started; sleep 30
                """);
        jobs.await("", "sleeper", "Running");
        long deadline = System.nanoTime() + JobsData.WAIT.toNanos();
        while (!server.http().get("/api/v1/jobs/sleeper/logs").text().contains("started")) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.onSpinWait();
        }
        String page = jobs.page("/jobs/sleeper").text();
        assertThat(page).contains("id=\"log-follow\"", "id=\"cancel-job\"", "started");
        java.util.regex.Matcher next = java.util.regex.Pattern.compile("hx-get=\"(/jobs/sleeper/logs\\?after=\\d+)\"").matcher(page);
        assertThat(next.find()).isTrue();
        HttpJson.Response nothingNew = jobs.page(next.group(1));
        assertThat(nothingNew.text()).contains("id=\"log-follow\"").doesNotContain("started");

        HttpJson.Response canceled = jobs.action("/jobs/sleeper/cancel", "");
        assertThat(canceled.status()).isEqualTo(204);
        assertThat(jobs.await("", "sleeper", null).path("status").asText()).isEqualTo("Canceled");
        assertThat(jobs.page("/jobs/sleeper/logs?after=1000").text()).doesNotContain("log-follow")
                .contains("id=\"job-status\" hx-swap-oob=\"true\">Canceled<");
        assertThat(jobs.action("/jobs/sleeper/cancel", "").status()).isEqualTo(400);
    }

    @Test
    void anotherWorkspacesJobIsNotFoundHere() {
        assertThat(server.http().post("/api/v1/workspaces", Map.of("name", "team-jobs")).status()).isEqualTo(201);
        jobs.submit("/w/team-jobs", """
                name: their-job
                display_name: secret training
                command: echo theirs
                """);
        HttpJson.Response refused = jobs.page("/jobs/their-job");
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.text()).doesNotContain("secret training");
        assertThat(jobs.page("/jobs/their-job/logs").status()).isEqualTo(404);
        assertThat(jobs.action("/jobs/their-job/cancel", "").status()).isEqualTo(404);
        assertThat(jobs.page("/jobs").text()).doesNotContain("their-job");
        assertThat(jobs.page("/w/team-jobs/jobs/their-job").text()).contains("secret training");
        jobs.await("/w/team-jobs", "their-job", null);
    }

    @Test
    void sweepPageListsTrialsWithTheirObjectiveAndHighlightsTheBest() {
        jobs.submit("", """
                type: sweep
                name: tiny-sweep
                trial:
                  command: echo x=${{search_space.x}}
                search_space:
                  x: {type: choice, values: [1, 2, 3]}
                sampling_algorithm: grid
                objective: {primary_metric: accuracy, goal: maximize}
                limits: {max_total_trials: 3, max_concurrent_trials: 3}
                """);
        jobs.await("", "tiny-sweep", null);
        double[] accuracy = {0.5, 0.9, 0.7};
        for (int i = 0; i < 3; i++) {
            JsonNode trial = jobs.job("", "tiny-sweep_trial_" + i);
            assertThat(server.http().post("/api/2.0/mlflow/runs/log-metric", Map.of("run_id", trial.path("run_id").asText(),
                    "key", "accuracy", "value", accuracy[i], "timestamp", 1L, "step", 0L)).status()).isEqualTo(200);
        }
        String html = jobs.page("/jobs/tiny-sweep").text();
        assertThat(html).contains("id=\"trials\"", "data-trial=\"tiny-sweep_trial_0\"", "data-trial=\"tiny-sweep_trial_2\"",
                "id=\"best-trial\">tiny-sweep_trial_1<", "class=\"best\" data-trial=\"tiny-sweep_trial_1\"", "data-point-count=\"3\"",
                "uPlot.iife.min.js", "0.9");
        assertThat(jobs.page("/jobs/tiny-sweep_trial_1").text()).contains("href=\"/jobs/tiny-sweep\"");
    }

    @Test
    void computeAndEnvironmentPagesListDetailAndManageTargets() {
        assertThat(server.http().post("/api/v1/environments", Map.of("name", "py", "kind", "process", "executable", "python3",
                "requirements", "numpy==2.1\n")).status()).isEqualTo(200);
        assertThat(jobs.page("/environments").text()).contains("href=\"/environments/py\"", "python3");
        assertThat(jobs.page("/environments/py").text()).contains("py:1", "numpy==2.1", "id=\"environment-versions\"");
        assertThat(jobs.page("/environments/nope").status()).isEqualTo(404);

        assertThat(jobs.page("/compute").text()).contains("data-compute=\"local\"", "id=\"create-compute\"");
        assertThat(jobs.page("/compute/local").text()).contains("--local-max-jobs", "id=\"compute-sandbox\"")
                .doesNotContain("id=\"delete-compute\"");
        HttpJson.Response created = jobs.action("/compute", "name=gpu-pool&namespace=ml-jobs&max_concurrent_jobs=2&cpu=500m");
        assertThat(created.status()).as(created.text()).isEqualTo(204);
        assertThat(jobs.page("/compute/gpu-pool").text()).contains("ml-jobs", "id=\"compute-max\">2<", "id=\"delete-compute\"");
        assertThat(jobs.action("/compute/gpu-pool/update", "max_concurrent_jobs=5").status()).isEqualTo(204);
        assertThat(jobs.page("/compute/gpu-pool").text()).contains("id=\"compute-max\">5<");
        assertThat(jobs.action("/compute", "name=Bad_Name&namespace=x").status()).isEqualTo(400);
        assertThat(jobs.action("/compute/gpu-pool/delete", "").status()).isEqualTo(204);
        assertThat(jobs.page("/compute/gpu-pool").status()).isEqualTo(404);
        assertThat(jobs.action("/compute/local/delete", "").status()).isBetween(400, 409);
    }
}
