package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pipeline steps that reference registered components (needs the components domain's store and routes): the version
 * is pinned, shown on the step, reused across pipelines; an unknown one is refused before anything is created.
 */
class PipelineComponentsTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final JobsFixture jobs = new JobsFixture(server.http());

    @Test
    void stepsRunRegisteredComponentsAndAnUnknownOneIsRefused() {
        HttpJson.Response created = server.http().post("/api/v1/components", Map.of(
                "name", "greet", "version", "1",
                "command", "mkdir -p ${{outputs.out}} && echo hello $[[${{inputs.who}}]] | tee ${{outputs.out}}/greeting.txt",
                "inputs", Map.of("who", Map.of("type", "string", "optional", true)),
                "outputs", Map.of("out", Map.of("type", "uri_folder"))));
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        String pipeline = """
                type: pipeline
                name: %s
                jobs:
                  hello:
                    component: azureml:greet@latest
                    inputs:
                      who: components-salt
                  read:
                    command: cat ${{inputs.data}}/greeting.txt
                    inputs:
                      data: ${{parent.jobs.hello.outputs.out}}
                """;
        JsonNode done = jobs.awaitEnded(jobs.submit(pipeline.formatted("with-component")).path("name").asText(), WAIT);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("Completed");
        assertThat(PipelineJobTest.steps(done).get("hello").path("component").asText()).isEqualTo("greet:1");
        assertThat(done.path("spec").path("jobs").path("hello").path("component").asText()).isEqualTo("azureml:greet:1");
        assertThat(jobs.logLines("with-component-read")).contains("hello components-salt");

        JsonNode again = jobs.awaitEnded(jobs.submit(pipeline.formatted("with-component-again")).path("name").asText(), WAIT);
        assertThat(PipelineJobTest.statuses(again)).containsExactly(Map.entry("hello", "Reused"), Map.entry("read", "Reused"));

        HttpJson.Response unknown = jobs.submitYaml("""
                type: pipeline
                name: unknown-component
                experiment_name: unknown-component
                jobs:
                  a:
                    component: azureml:missing:3
                """);
        assertThat(unknown.status()).as(unknown.text()).isEqualTo(404);
        assertThat(unknown.json().path("message").asText()).contains("jobs.a.component");
        assertThat(server.http().get("/api/v1/jobs/unknown-component").status()).isEqualTo(404);
        assertThat(server.http().get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=unknown-component").status())
                .isEqualTo(404);
    }
}
