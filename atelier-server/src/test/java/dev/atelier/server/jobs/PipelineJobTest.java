package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pipeline jobs of real processes on the local target: data passed between steps, child runs, step reuse, failures,
 * cancel, output registration.
 */
class PipelineJobTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final Duration WAIT = Duration.ofSeconds(120);

    /** {@code java Fit.java <data folder> <lr> <model folder>}: logs {@code score} = rows × lr into its run, writes it. */
    static final String FIT_JAVA = """
            import java.net.URI;
            import java.net.http.*;
            import java.nio.file.*;

            public class Fit {
                public static void main(String[] args) throws Exception {
                    long rows = Files.readAllLines(Path.of(args[0], "data.txt")).size();
                    double score = rows * Double.parseDouble(args[1]);
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(System.getenv("MLFLOW_TRACKING_URI")
                            + "/api/2.0/mlflow/runs/log-metric")).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\\"run_id\\":\\"" + System.getenv("MLFLOW_RUN_ID")
                                    + "\\",\\"key\\":\\"score\\",\\"value\\":" + score + ",\\"timestamp\\":" + System.currentTimeMillis()
                                    + ",\\"step\\":0}"));
                    String token = System.getenv("MLFLOW_TRACKING_TOKEN");
                    if (token != null) {
                        request.header("Authorization", "Bearer " + token);
                    }
                    HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(response.body());
                    }
                    Files.createDirectories(Path.of(args[2]));
                    Files.writeString(Path.of(args[2], "score.txt"), Double.toString(score));
                }
            }
            """;

    private final JobsFixture jobs = new JobsFixture(server.http());
    private final HttpJson http = server.http();

    @Test
    void fourStepPipelinePassesDataBetweenStepsLogsIntoChildRunsAndRegistersItsOutput() {
        String code = jobs.snapshot(Map.of("Fit.java", FIT_JAVA));
        JsonNode submitted = jobs.submit("""
                type: pipeline
                name: four
                experiment_name: pipelines
                inputs:
                  rows: 4
                outputs:
                  report:
                    type: uri_folder
                    name: pipeline-report
                    version: "1"
                settings:
                  default_compute: local
                jobs:
                  prepare:
                    command: mkdir -p ${{outputs.data}} && i=0 && while [ $i -lt ${{inputs.rows}} ]; do echo row$i >> ${{outputs.data}}/data.txt; i=$((i+1)); done
                    inputs:
                      rows: ${{parent.inputs.rows}}
                    outputs:
                      data:
                        type: uri_folder
                  train_a:
                    code: snapshot:%1$s
                    command: %2$s Fit.java ${{inputs.data}} ${{inputs.lr}} ${{outputs.model}}
                    inputs:
                      data: ${{parent.jobs.prepare.outputs.data}}
                      lr: 0.5
                    outputs:
                      model:
                  train_b:
                    code: snapshot:%1$s
                    command: %2$s Fit.java ${{inputs.data}} ${{inputs.lr}} ${{outputs.model}}
                    inputs:
                      data: ${{parent.jobs.prepare.outputs.data}}
                      lr: 2
                    outputs:
                      model:
                  compare:
                    command: mkdir -p ${{outputs.report}} && echo "$(cat ${{inputs.a}}/score.txt) $(cat ${{inputs.b}}/score.txt)" > ${{outputs.report}}/scores.txt
                    inputs:
                      a: ${{parent.jobs.train_a.outputs.model}}
                      b: ${{parent.jobs.train_b.outputs.model}}
                    outputs:
                      report: ${{parent.outputs.report}}
                """.formatted(code, JobsFixture.JAVA));
        assertThat(submitted.path("type").asText()).isEqualTo("pipeline");
        assertThat(submitted.path("steps")).hasSize(4);

        JsonNode pipeline = jobs.awaitEnded("four", WAIT);
        assertThat(pipeline.path("status").asText()).as(pipeline.toString()).isEqualTo("Completed");
        Map<String, JsonNode> steps = steps(pipeline);
        assertThat(steps.keySet()).containsExactly("prepare", "train_a", "train_b", "compare");
        steps.values().forEach(step -> assertThat(step.path("status").asText()).as(step.toString()).isEqualTo("Completed"));
        assertThat(steps.get("compare").path("depends_on").toString()).isEqualTo("[\"train_a\",\"train_b\"]");
        assertThat(jobs.logLines("four")).contains("[atelier] step prepare: Queued (job four-prepare)",
                "[atelier] step compare: Completed (job four-compare)", "[atelier] Completed (0 of 4 steps reused)");
        assertThat(steps.get("train_a").path("job_name").asText()).isEqualTo("four-train_a");
        assertThat(steps.get("prepare").path("outputs").path("data").asText())
                .isEqualTo("datastore://workspaceartifactstore/pipelines/four/prepare/data");
        assertThat(steps.get("prepare").path("reused_from").isNull()).isTrue();
        assertThat(steps.get("prepare").path("component").isNull()).isTrue();

        // Both trainings were queued as soon as prepare ended, before either of them ended.
        JsonNode trainA = jobs.job("four-train_a");
        JsonNode trainB = jobs.job("four-train_b");
        assertThat(trainA.path("created_at").asLong()).isLessThanOrEqualTo(trainB.path("ended_at").asLong());
        assertThat(trainB.path("created_at").asLong()).isLessThanOrEqualTo(trainA.path("ended_at").asLong());
        assertThat(trainA.path("parent_job").asText()).isEqualTo("four");

        String pipelineRun = pipeline.path("run_id").asText();
        for (String step : steps.keySet()) {
            JsonNode run = jobs.run(steps.get(step).path("run_id").asText());
            assertThat(tag(run, "mlflow.parentRunId")).isEqualTo(pipelineRun);
            assertThat(run.path("info").path("experiment_id").asText()).isEqualTo(pipeline.path("experiment_id").asText());
        }
        assertThat(metric(jobs.run(steps.get("train_a").path("run_id").asText()), "score")).isEqualTo(2.0);
        assertThat(metric(jobs.run(steps.get("train_b").path("run_id").asText()), "score")).isEqualTo(8.0);
        assertThat(tag(jobs.run(pipelineRun), JobRuns.REUSED_STEPS_TAG)).isEqualTo("0");

        HttpJson.Response report = http.get("/api/v1/data/pipeline-report/versions/1/files/scores.txt");
        assertThat(report.status()).as(report.text()).isEqualTo(200);
        assertThat(report.text().strip()).isEqualTo("2.0 8.0");
        JsonNode lineage = http.get("/api/v1/data/pipeline-report/versions/1/lineage").json();
        assertThat(lineage.path("runs").toString()).contains(steps.get("compare").path("run_id").asText(), "output");
        assertThat(pipeline.path("result").path("outputs").path("report").asText())
                .isEqualTo("datastore://workspaceartifactstore/pipelines/four/compare/report");
    }

    private static String chain(String name, String salt, String middle, String settings, String last) {
        return """
                type: pipeline
                name: %s
                experiment_name: reuse
                %s
                jobs:
                  first:
                    command: mkdir -p ${{outputs.out}} && echo %s > ${{outputs.out}}/value.txt
                    outputs:
                      out:
                  middle:
                    command: mkdir -p ${{outputs.out}} && echo "$(cat ${{inputs.data}}/value.txt) ${{inputs.word}}" > ${{outputs.out}}/value.txt
                    inputs:
                      data: ${{parent.jobs.first.outputs.out}}
                      word: %s
                    outputs:
                      out:
                  last:
                %s
                """.formatted(name, settings, salt, middle, last);
    }

    private static final String LAST_COMMAND = """
                    command: mkdir -p ${{outputs.out}} && cat ${{inputs.data}}/value.txt | tee ${{outputs.out}}/value.txt
                    inputs:
                      data: ${{parent.jobs.middle.outputs.out}}
                    outputs:
                      out:
            """;

    @Test
    void resubmissionReusesEveryStepAChangedLiteralRerunsItsDownstreamAndForceRerunRerunsAll() {
        JsonNode original = jobs.awaitEnded(jobs.submit(chain("reuse-1", "salt-reuse", "alpha", "", LAST_COMMAND)).path("name").asText(), WAIT);
        assertThat(original.path("status").asText()).as(original.toString()).isEqualTo("Completed");
        Map<String, JsonNode> first = steps(original);

        JsonNode again = jobs.awaitEnded(jobs.submit(chain("reuse-2", "salt-reuse", "alpha", "", LAST_COMMAND)).path("name").asText(), WAIT);
        assertThat(again.path("status").asText()).as(again.toString()).isEqualTo("Completed");
        Map<String, JsonNode> reused = steps(again);
        for (String step : List.of("first", "middle", "last")) {
            assertThat(reused.get(step).path("status").asText()).isEqualTo("Reused");
            assertThat(reused.get(step).path("reused_from").asText()).isEqualTo("reuse-1-" + step);
            assertThat(reused.get(step).path("run_id").asText()).isEqualTo(first.get(step).path("run_id").asText());
            assertThat(reused.get(step).path("outputs")).isEqualTo(first.get(step).path("outputs"));
        }
        assertThat(children("reuse-2")).isEmpty();
        assertThat(tag(jobs.run(again.path("run_id").asText()), JobRuns.REUSED_STEPS_TAG)).isEqualTo("3");
        assertThat(again.path("result").path("reused_steps").asInt()).isEqualTo(3);

        JsonNode changed = jobs.awaitEnded(jobs.submit(chain("reuse-3", "salt-reuse", "beta", "", LAST_COMMAND)).path("name").asText(), WAIT);
        assertThat(changed.path("status").asText()).as(changed.toString()).isEqualTo("Completed");
        assertThat(statuses(changed)).containsExactly(Map.entry("first", "Reused"), Map.entry("middle", "Completed"),
                Map.entry("last", "Completed"));
        assertThat(children("reuse-3")).containsExactlyInAnyOrder("reuse-3-middle", "reuse-3-last");
        assertThat(jobs.logLines("reuse-3-last")).contains("salt-reuse beta");

        JsonNode forced = jobs.awaitEnded(jobs.submit(chain("reuse-4", "salt-reuse", "alpha", "settings:\n  force_rerun: true",
                LAST_COMMAND)).path("name").asText(), WAIT);
        assertThat(statuses(forced).values()).containsOnly("Completed");
        assertThat(children("reuse-4")).hasSize(3);
    }

    @Test
    void nonDeterministicComponentIsNeverReused() {
        String last = """
                    component:
                      name: draw
                      is_deterministic: false
                      command: mkdir -p ${{outputs.out}} && echo $$ > ${{outputs.out}}/value.txt
                      inputs:
                        data:
                          type: uri_folder
                      outputs:
                        out:
                          type: uri_folder
                    inputs:
                      data: ${{parent.jobs.middle.outputs.out}}
                """;
        for (String name : List.of("draw-1", "draw-2")) {
            JsonNode done = jobs.awaitEnded(jobs.submit(chain(name, "salt-draw", "x", "", last)).path("name").asText(), WAIT);
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("Completed");
        }
        assertThat(statuses(jobs.job("draw-2"))).containsExactly(Map.entry("first", "Reused"), Map.entry("middle", "Reused"),
                Map.entry("last", "Completed"));
    }

    @Test
    void failingStepFailsThePipelineAndSkipsItsDownstream() {
        JsonNode pipeline = jobs.awaitEnded(jobs.submit("""
                type: pipeline
                name: failing
                jobs:
                  broken:
                    command: echo failing-salt; exit 3
                    outputs:
                      out:
                  after:
                    command: ls ${{inputs.data}}
                    inputs:
                      data: ${{parent.jobs.broken.outputs.out}}
                """).path("name").asText(), WAIT);
        assertThat(pipeline.path("status").asText()).isEqualTo("Failed");
        assertThat(pipeline.path("reason").asText()).contains("broken");
        assertThat(statuses(pipeline)).containsExactly(Map.entry("broken", "Failed"), Map.entry("after", "Skipped"));
        assertThat(jobs.job("failing-broken").path("exit_code").asInt()).isEqualTo(3);
        assertThat(children("failing")).containsExactly("failing-broken");
    }

    @Test
    void continueOnStepFailureRunsIndependentBranches() {
        JsonNode pipeline = jobs.awaitEnded(jobs.submit("""
                type: pipeline
                name: going-on
                settings:
                  continue_on_step_failure: true
                jobs:
                  broken:
                    command: echo going-on-salt; sleep 1; exit 3
                    outputs:
                      out:
                  after_broken:
                    command: ls ${{inputs.data}}
                    inputs:
                      data: ${{parent.jobs.broken.outputs.out}}
                  slow:
                    command: sleep 2; mkdir -p ${{outputs.out}} && echo going-on-salt > ${{outputs.out}}/v.txt
                    outputs:
                      out:
                  after_slow:
                    command: cat ${{inputs.data}}/v.txt
                    inputs:
                      data: ${{parent.jobs.slow.outputs.out}}
                """).path("name").asText(), WAIT);
        assertThat(pipeline.path("status").asText()).isEqualTo("Failed");
        assertThat(statuses(pipeline)).containsExactly(Map.entry("broken", "Failed"), Map.entry("after_broken", "Skipped"),
                Map.entry("slow", "Completed"), Map.entry("after_slow", "Completed"));
        assertThat(jobs.logLines("going-on-after_slow")).contains("going-on-salt");
    }

    @Test
    void cancelStopsTheRunningStepAndCancelsTheRest() {
        jobs.submit("""
                type: pipeline
                name: canceled
                jobs:
                  long:
                    command: echo canceled-salt; sleep 60
                    outputs:
                      out:
                  after:
                    command: ls ${{inputs.data}}
                    inputs:
                      data: ${{parent.jobs.long.outputs.out}}
                """);
        awaitStep(jobs, "canceled", "long", "Running");
        HttpJson.Response cancel = http.post("/api/v1/jobs/canceled/cancel", Map.of());
        assertThat(cancel.status()).as(cancel.text()).isEqualTo(200);
        JsonNode pipeline = jobs.awaitEnded("canceled", WAIT);
        assertThat(pipeline.path("status").asText()).isEqualTo("Canceled");
        assertThat(statuses(pipeline)).containsExactly(Map.entry("long", "Canceled"), Map.entry("after", "Canceled"));
        assertThat(jobs.awaitEnded("canceled-long", WAIT).path("status").asText()).isEqualTo("Canceled");
        assertThat(children("canceled")).containsExactly("canceled-long");
    }

    @Test
    void badPipelinesAreRefusedNamingTheFieldAndCreateNothing() {
        String component = """
                    component:
                      name: scale
                      command: echo ${{inputs.factor}} ${{inputs.data}} > ${{outputs.out}}
                      inputs:
                        factor:
                          type: number
                          max: 10
                        data:
                          type: uri_folder
                      outputs:
                        out:
                          type: uri_file
                """;
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("""
                jobs:
                  a:
                    command: ls ${{inputs.x}}
                    inputs:
                      x: ${{parent.jobs.b.outputs.out}}
                    outputs:
                      out:
                  b:
                    command: ls ${{inputs.x}}
                    inputs:
                      x: ${{parent.jobs.a.outputs.out}}
                    outputs:
                      out:
                """, "form a cycle");
        refused.put("""
                jobs:
                  a:
                    command: ls ${{inputs.x}}
                    inputs:
                      x: ${{parent.jobs.missing.outputs.out}}
                """, "Unknown step 'missing' bound at 'jobs.a.inputs.x'");
        refused.put("""
                jobs:
                  a:
                    command: echo
                    outputs:
                      out:
                  b:
                %s
                    inputs:
                      factor: 2
                      data: ${{parent.jobs.a.outputs.nope}}
                """.formatted(component), "Unknown output 'nope' of step 'a' bound at 'jobs.b.inputs.data'");
        refused.put("""
                jobs:
                  a:
                    command: echo
                    outputs:
                      out:
                        type: uri_file
                  b:
                %s
                    inputs:
                      factor: 2
                      data: ${{parent.jobs.a.outputs.out}}
                """.formatted(component), "Type mismatch at 'jobs.b.inputs.data'");
        refused.put("""
                jobs:
                  b:
                %s
                    inputs:
                      data: ${{parent.inputs.folder}}
                inputs:
                  folder:
                    type: uri_folder
                    path: datastore://workspaceartifactstore/pipelines
                """.formatted(component), "Missing required input 'jobs.b.inputs.factor'");
        refused.put("""
                jobs:
                  b:
                %s
                    inputs:
                      factor: 2
                      data: ${{parent.inputs.folder}}
                      extra: 1
                inputs:
                  folder:
                    type: uri_folder
                    path: datastore://workspaceartifactstore/pipelines
                """.formatted(component), "Unknown input 'extra' at 'jobs.b.inputs.extra'");
        refused.put("""
                jobs:
                  b:
                %s
                    inputs:
                      factor: 20
                      data: ${{parent.inputs.folder}}
                inputs:
                  folder:
                    type: uri_folder
                    path: datastore://workspaceartifactstore/pipelines
                """.formatted(component), "jobs.b.inputs.factor");
        refused.put("""
                jobs:
                  a:
                    command: echo
                    compute: nowhere
                """, "Unknown compute 'nowhere' in 'jobs.a.compute'");
        // Something must exist at the datastore path the bad pipelines read.
        jobs.awaitEnded(jobs.submit("""
                type: pipeline
                name: seed-folder
                jobs:
                  a:
                    command: mkdir -p ${{outputs.out}} && echo seed > ${{outputs.out}}/seed.txt
                    outputs:
                      out:
                """).path("name").asText(), WAIT);
        int index = 0;
        for (Map.Entry<String, String> bad : refused.entrySet()) {
            String name = "bad-" + index++;
            HttpJson.Response response = jobs.submitYaml("type: pipeline\nname: " + name + "\nexperiment_name: bad-pipelines\n" + bad.getKey());
            assertThat(response.status()).as(response.text()).isIn(400, 404);
            assertThat(response.json().path("message").asText()).as(bad.getKey()).contains(bad.getValue());
            assertThat(http.get("/api/v1/jobs/" + name).status()).isEqualTo(404);
        }
        assertThat(http.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=bad-pipelines").status()).isEqualTo(404);
    }

    /** Polls the pipeline until its step has {@code status}. */
    static void awaitStep(JobsFixture jobs, String pipeline, String step, String status) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!status.equals(statuses(jobs.job(pipeline)).get(step))) {
            assertThat(System.nanoTime()).as("step %s of %s: %s", step, pipeline, statuses(jobs.job(pipeline))).isLessThan(deadline);
            JobsFixture.sleep(50);
        }
    }

    private List<String> children(String pipeline) {
        List<String> names = new java.util.ArrayList<>();
        http.get("/api/v1/jobs?parent_job=" + pipeline).json().path("jobs").forEach(job -> names.add(job.path("name").asText()));
        return names;
    }

    static Map<String, JsonNode> steps(JsonNode pipeline) {
        Map<String, JsonNode> steps = new LinkedHashMap<>();
        pipeline.path("steps").forEach(step -> steps.put(step.path("name").asText(), step));
        return steps;
    }

    static Map<String, String> statuses(JsonNode pipeline) {
        Map<String, String> statuses = new LinkedHashMap<>();
        pipeline.path("steps").forEach(step -> statuses.put(step.path("name").asText(), step.path("status").asText()));
        return statuses;
    }

    private static double metric(JsonNode run, String key) {
        Map<String, Double> metrics = new HashMap<>();
        run.path("data").path("metrics").forEach(metric -> metrics.put(metric.path("key").asText(), metric.path("value").asDouble()));
        return metrics.getOrDefault(key, Double.NaN);
    }

    static String tag(JsonNode run, String key) {
        for (JsonNode tag : run.path("data").path("tags")) {
            if (tag.path("key").asText().equals(key)) {
                return tag.path("value").asText();
            }
        }
        return null;
    }
}
