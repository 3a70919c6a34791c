package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code type: sweep} steps of pipeline jobs, as real processes on the local target: the step is a sweep job whose
 * trials are its children, and the steps downstream read the best trial's outputs.
 */
class PipelineSweepTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final Duration WAIT = Duration.ofSeconds(180);

    private final JobsFixture jobs = new JobsFixture(server.http());
    private final HttpJson http = server.http();

    /** A trial component: writes {@code rows × lr} to its model and logs it as {@code score} ({@link PipelineJobTest#FIT_JAVA}). */
    private static final String TRIAL = """
                    trial:
                      name: fit
                      code: snapshot:%1$s
                      command: %2$s Fit.java ${{inputs.data}} ${{inputs.lr}} ${{outputs.model}}
                      inputs:
                        data: {type: uri_folder}
                        lr: {type: number}
                      outputs:
                        model: {type: uri_folder}
                """;

    @Test
    void sweepStepRunsItsTrialsAndHandsTheBestTrialsOutputDownstream() {
        String code = jobs.snapshot(Map.of("Fit.java", PipelineJobTest.FIT_JAVA));
        JsonNode submitted = jobs.submit("""
                type: pipeline
                name: swept
                experiment_name: pipeline-sweeps
                inputs:
                  rows: 3
                outputs:
                  report:
                    type: uri_folder
                    name: swept-report
                    version: "1"
                jobs:
                  prepare:
                    command: mkdir -p ${{outputs.data}} && i=0 && while [ $i -lt ${{inputs.rows}} ]; do echo row$i >> ${{outputs.data}}/data.txt; i=$((i+1)); done
                    inputs:
                      rows: ${{parent.inputs.rows}}
                    outputs:
                      data:
                  tune:
                    type: sweep
                %3$s
                    inputs:
                      data: ${{parent.jobs.prepare.outputs.data}}
                      lr: ${{search_space.learning_rate}}
                    outputs:
                      model:
                    sampling_algorithm: grid
                    search_space:
                      learning_rate:
                        type: choice
                        values: [0.5, 2, 1]
                    objective:
                      primary_metric: score
                      goal: maximize
                    limits:
                      max_total_trials: 3
                      max_concurrent_trials: 2
                  report:
                    command: mkdir -p ${{outputs.out}} && cp ${{inputs.model}}/score.txt ${{outputs.out}}/best.txt
                    inputs:
                      model: ${{parent.jobs.tune.outputs.model}}
                    outputs:
                      out: ${{parent.outputs.report}}
                """.formatted(code, JobsFixture.JAVA, TRIAL.formatted(code, JobsFixture.JAVA)));
        assertThat(submitted.path("steps")).hasSize(3);

        JsonNode pipeline = jobs.awaitEnded("swept", WAIT);
        assertThat(pipeline.path("status").asText()).as(pipeline.toString()).isEqualTo("Completed");
        Map<String, JsonNode> steps = PipelineJobTest.steps(pipeline);
        steps.values().forEach(step -> assertThat(step.path("status").asText()).as(step.toString()).isEqualTo("Completed"));
        assertThat(steps.get("tune").path("job_name").asText()).isEqualTo("swept-tune");
        assertThat(steps.get("report").path("depends_on").toString()).isEqualTo("[\"tune\"]");

        JsonNode sweep = jobs.job("swept-tune");
        assertThat(sweep.path("type").asText()).isEqualTo("sweep");
        assertThat(sweep.path("parent_job").asText()).isEqualTo("swept");
        String best = sweep.path("result").path("best_trial").asText();
        assertThat(sweep.path("result").path("best_metric_value").asDouble()).isEqualTo(6.0);
        assertThat(steps.get("tune").path("outputs").path("model").asText())
                .isEqualTo("datastore://workspaceartifactstore/pipelines/swept/tune/" + best + "/model");
        List<String> trials = new ArrayList<>();
        http.get("/api/v1/jobs?parent_job=swept-tune").json().path("jobs").forEach(trial -> trials.add(trial.path("name").asText()));
        assertThat(trials).hasSize(3).contains(best);
        JsonNode stepRun = jobs.run(steps.get("tune").path("run_id").asText());
        assertThat(PipelineJobTest.tag(stepRun, "mlflow.parentRunId")).isEqualTo(pipeline.path("run_id").asText());

        // The downstream step read the best trial's model, not the last trial's.
        HttpJson.Response report = http.get("/api/v1/data/swept-report/versions/1/files/best.txt");
        assertThat(report.status()).as(report.text()).isEqualTo(200);
        assertThat(report.text().strip()).isEqualTo("6.0");
    }

    @Test
    void sweepStepAndItsDownstreamAreNeverReused() {
        String pipeline = """
                type: pipeline
                name: %s
                experiment_name: pipeline-sweeps
                jobs:
                  prepare:
                    command: mkdir -p ${{outputs.data}} && echo row > ${{outputs.data}}/data.txt
                    outputs:
                      data:
                  tune:
                    type: sweep
                %s
                    inputs:
                      data: ${{parent.jobs.prepare.outputs.data}}
                      lr: ${{search_space.learning_rate}}
                    outputs:
                      model:
                    search_space:
                      learning_rate: {type: choice, values: [3]}
                    objective: {primary_metric: score, goal: minimize}
                    limits: {max_total_trials: 1}
                  after:
                    command: cat ${{inputs.model}}/score.txt
                    inputs:
                      model: ${{parent.jobs.tune.outputs.model}}
                """;
        String code = jobs.snapshot(Map.of("Fit.java", PipelineJobTest.FIT_JAVA));
        String trial = TRIAL.formatted(code, JobsFixture.JAVA);
        JsonNode first = jobs.awaitEnded(jobs.submit(pipeline.formatted("again-1", trial)).path("name").asText(), WAIT);
        assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("Completed");
        JsonNode second = jobs.awaitEnded(jobs.submit(pipeline.formatted("again-2", trial)).path("name").asText(), WAIT);
        assertThat(second.path("status").asText()).as(second.toString()).isEqualTo("Completed");
        assertThat(PipelineJobTest.statuses(second)).containsExactly(Map.entry("prepare", "Reused"), Map.entry("tune", "Completed"),
                Map.entry("after", "Completed"));
    }

    @Test
    void standaloneSweepWritesEachTrialsOutputsAtItsNameInTheOutputPath() {
        String bad = """
                type: sweep
                name: paths-bad
                trial:
                  command: echo ${{search_space.v}}
                outputs:
                  out:
                    type: uri_folder
                    path: datastore://workspaceartifactstore/sweeps/shared/out
                search_space:
                  v: {type: choice, values: [1, 2]}
                objective: {primary_metric: m, goal: maximize}
                limits: {max_total_trials: 2}
                """;
        HttpJson.Response refused = jobs.submitYaml(bad);
        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        assertThat(refused.json().path("message").asText()).contains("outputs.out.path", "${{name}}");

        jobs.submit(bad.replace("paths-bad", "paths").replace("sweeps/shared/out", "sweeps/${{name}}/out")
                .replace("echo ${{search_space.v}}", "mkdir -p ${{outputs.out}} && echo ${{search_space.v}} > ${{outputs.out}}/v.txt"));
        JsonNode sweep = jobs.awaitEnded("paths", WAIT);
        assertThat(sweep.path("status").asText()).as(sweep.toString()).isEqualTo("Completed");
        JsonNode trials = http.get("/api/v1/jobs?parent_job=paths").json().path("jobs");
        assertThat(trials).hasSize(2);
        trials.forEach(listed -> {
            JsonNode trial = jobs.job(listed.path("name").asText());
            assertThat(trial.path("status").asText()).as(trial.toString()).isEqualTo("Completed");
            assertThat(trial.path("spec").path("outputs").path("out").path("path").asText())
                    .isEqualTo("datastore://workspaceartifactstore/sweeps/" + trial.path("name").asText() + "/out");
        });
    }

    @Test
    void badSweepStepsAreRefusedNamingTheFieldAndCreateNothing() {
        String code = jobs.snapshot(Map.of("Fit.java", PipelineJobTest.FIT_JAVA));
        String trial = TRIAL.formatted(code, JobsFixture.JAVA);
        String search = """
                    search_space:
                      learning_rate: {type: choice, values: [1, 2]}
                    limits: {max_total_trials: 2}
                """;
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("""
                jobs:
                  tune:
                    type: sweep
                %s
                    inputs:
                      data: {type: uri_folder, path: datastore://workspaceartifactstore/pipelines}
                      lr: ${{search_space.momentum}}
                %s
                    objective: {primary_metric: score, goal: maximize}
                """.formatted(trial, search), "Unknown search_space dimension 'momentum' bound at 'jobs.tune.inputs.lr'");
        refused.put("""
                jobs:
                  tune:
                    type: sweep
                %s
                    inputs:
                      data: {type: uri_folder, path: datastore://workspaceartifactstore/pipelines}
                      lr: ${{search_space.learning_rate}}
                %s
                """.formatted(trial, search), "'jobs.tune.objective'");
        refused.put("""
                jobs:
                  tune:
                    type: sweep
                %s
                    inputs:
                      data: ${{search_space.learning_rate}}
                      lr: 1
                %s
                    objective: {primary_metric: score, goal: maximize}
                """.formatted(trial, search), "Type mismatch at 'jobs.tune.inputs.data'");
        refused.put("""
                jobs:
                  tune:
                    type: sweep
                    inputs:
                      lr: ${{search_space.learning_rate}}
                %s
                    objective: {primary_metric: score, goal: maximize}
                """.formatted(search), "'jobs.tune.trial'");
        refused.put("""
                jobs:
                  a:
                    command: echo ${{inputs.lr}}
                    inputs:
                      lr: ${{search_space.learning_rate}}
                """, "Invalid binding '${{search_space.learning_rate}}' for 'jobs.a.inputs.lr'");
        int index = 0;
        for (Map.Entry<String, String> bad : refused.entrySet()) {
            String name = "bad-sweep-" + index++;
            HttpJson.Response response = jobs.submitYaml("type: pipeline\nname: " + name + "\nexperiment_name: bad-sweep-steps\n"
                    + bad.getKey());
            assertThat(response.status()).as(response.text()).isEqualTo(400);
            assertThat(response.json().path("message").asText()).as(bad.getKey()).contains(bad.getValue());
            assertThat(http.get("/api/v1/jobs/" + name).status()).isEqualTo(404);
        }
        assertThat(http.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=bad-sweep-steps").status()).isEqualTo(404);
    }
}
