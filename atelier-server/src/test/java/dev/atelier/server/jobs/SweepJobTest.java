package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Sweep jobs: trials as child runs, grid and seeded random sampling, early termination, the best trial. */
class SweepJobTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final Duration WAIT = Duration.ofSeconds(120);

    private final JobsFixture jobs = new JobsFixture(server.http());

    private String sweep(String name, String search, String extra) {
        String code = jobs.snapshot(Map.of("Train.java", Scripts.TRAIN_JAVA));
        return """
                type: sweep
                name: %s
                experiment_name: sweeps
                compute: local
                trial:
                  code: snapshot:%s
                  command: %s Train.java 0 outputs/m ${{search_space.quality}} ${{search_space.quality}} ${{search_space.quality}}
                %s
                objective: {primary_metric: accuracy, goal: maximize}
                %s
                """.formatted(name, code, JobsFixture.JAVA, search, extra);
    }

    @Test
    void gridSweepRunsEveryCombinationUpToTheLimitAndReportsTheBestTrial() {
        JsonNode submitted = jobs.submit(sweep("grid", """
                search_space:
                  depth: {type: choice, values: [1, 2]}
                  quality: {type: choice, values: [0.2, 0.9, 0.5]}
                sampling_algorithm: grid
                """, "limits: {max_total_trials: 4, max_concurrent_trials: 2}"));
        JsonNode sweep = jobs.awaitEnded("grid", WAIT);
        assertThat(sweep.path("status").asText()).as(sweep.toString()).isEqualTo("Completed");
        List<JsonNode> trials = trials("grid");
        assertThat(trials).hasSize(4).allMatch(trial -> trial.path("status").asText().equals("Completed"));
        assertThat(sweep.path("result").path("best_trial").asText()).isEqualTo("grid_trial_1");
        assertThat(sweep.path("result").path("best_metric_value").asDouble()).isEqualTo(0.9);

        Map<String, String> params = params(runOf("grid_trial_3"));
        assertThat(params).containsEntry("depth", "2").containsEntry("quality", "0.2");
        for (JsonNode trial : trials) {
            assertThat(tag(jobs.run(trial.path("run_id").asText()), "mlflow.parentRunId")).isEqualTo(submitted.path("run_id").asText());
        }
        JsonNode parent = jobs.run(submitted.path("run_id").asText());
        assertThat(tag(parent, SweepRun.BEST_TRIAL_TAG)).isEqualTo("grid_trial_1");
        assertThat(parent.path("data").path("metrics").toString()).contains("accuracy", "0.9");
        assertThat(parent.path("info").path("status").asText()).isEqualTo("FINISHED");
    }

    @Test
    void randomSweepIsSeededAndPicksTheTrialWithTheHighestMetric() {
        jobs.submit(sweep("random", """
                search_space:
                  quality: {type: uniform, min_value: 0.0, max_value: 1.0}
                sampling_algorithm: {type: random, seed: 7}
                """, "limits: {max_total_trials: 3, max_concurrent_trials: 3}"));
        JsonNode sweep = jobs.awaitEnded("random", WAIT);
        assertThat(sweep.path("status").asText()).isEqualTo("Completed");
        List<JsonNode> trials = trials("random");
        assertThat(trials).hasSize(3);
        String best = null;
        double bestValue = -1;
        for (JsonNode trial : trials) {
            double quality = Double.parseDouble(params(runOf(trial.path("name").asText())).get("quality"));
            assertThat(quality).isBetween(0.0, 1.0);
            if (quality > bestValue) {
                bestValue = quality;
                best = trial.path("name").asText();
            }
        }
        assertThat(sweep.path("result").path("best_trial").asText()).isEqualTo(best);
        assertThat(sweep.path("result").path("best_metric_value").asDouble()).isEqualTo(bestValue);
        SweepSpec spec = ((JobSpec.Sweep) JobDocument.parse(sweep.path("spec"))).sweep();
        assertThat(params(runOf("random_trial_2")).get("quality")).isEqualTo(SweepSampler.sample(spec, 2).orElseThrow().get("quality"));
    }

    @Test
    void banditPolicyStopsTheTrialFarBehindTheBest() {
        jobs.submit(sweep("bandit", """
                search_space:
                  quality: {type: choice, values: [0.9, 0.1, 0.8]}
                sampling_algorithm: grid
                early_termination: {type: bandit, slack_factor: 0.2, evaluation_interval: 1, delay_evaluation: 0}
                """, """
                limits: {max_total_trials: 3, max_concurrent_trials: 1}
                """).replace("  command:", "  environment_variables: {SLEEP_MS: \"400\"}\n  command:"));
        JsonNode sweep = jobs.awaitEnded("bandit", WAIT);
        assertThat(sweep.path("status").asText()).isEqualTo("Completed");
        assertThat(sweep.path("result").path("trials").asInt()).isEqualTo(3);
        assertThat(sweep.path("result").path("early_terminated").toString()).isEqualTo("[\"bandit_trial_1\"]");
        JsonNode stopped = jobs.job("bandit_trial_1");
        assertThat(stopped.path("status").asText()).isEqualTo("Canceled");
        assertThat(stopped.path("reason").asText()).startsWith("early termination (bandit)");
        assertThat(tag(jobs.run(stopped.path("run_id").asText()), JobRuns.EARLY_TERMINATED_TAG)).isEqualTo("true");
        assertThat(jobs.job("bandit_trial_0").path("status").asText()).isEqualTo("Completed");
        assertThat(jobs.job("bandit_trial_2").path("status").asText()).isEqualTo("Completed");
        assertThat(sweep.path("result").path("best_trial").asText()).isEqualTo("bandit_trial_0");
    }

    private List<JsonNode> trials(String sweep) {
        List<JsonNode> trials = new ArrayList<>();
        server.http().get("/api/v1/jobs?parent_job=" + sweep).json().path("jobs").forEach(trials::add);
        return trials;
    }

    private JsonNode runOf(String job) {
        return jobs.run(jobs.job(job).path("run_id").asText());
    }

    private static Map<String, String> params(JsonNode run) {
        Map<String, String> params = new HashMap<>();
        run.path("data").path("params").forEach(param -> params.put(param.path("key").asText(), param.path("value").asText()));
        return params;
    }

    private static String tag(JsonNode run, String key) {
        for (JsonNode tag : run.path("data").path("tags")) {
            if (tag.path("key").asText().equals(key)) {
                return tag.path("value").asText();
            }
        }
        return null;
    }
}
