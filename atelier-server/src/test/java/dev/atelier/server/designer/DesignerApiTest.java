package dev.atelier.server.designer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The designer's API on a running server: drafts and their versions, import and export of pipeline YAML, validation, Open as draft. */
class DesignerApiTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final YAMLMapper YAML = new YAMLMapper();

    /** A pipeline using most of the file's fields, written as a person would (comments, flow mappings, quoted numbers). */
    static final String PIPELINE = """
            $schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json
            type: pipeline
            display_name: Count, nightly
            experiment_name: counting
            description: Make a table, then count it
            tags: {team: growth, release: "3", nightly: "true", empty: ""}
            inputs:
              rows: 7
            outputs:
              report:
                type: uri_folder
            settings:
              default_compute: azureml:local
              continue_on_step_failure: false
            jobs:
              make:                        # a registered component
                type: command
                component: azureml:make_table:1
                inputs:
                  rows: ${{parent.inputs.rows}}
              count:
                component: azureml:count_rows@latest
                environment_variables: {MODE: "fast"}
                inputs:
                  data: ${{parent.jobs.make.outputs.data}}
                  label: lines
                  scale: 2.5
                outputs:
                  report: ${{parent.outputs.report}}
              inline:
                command: cat ${{inputs.data}}/rows.txt
                inputs:
                  data: ${{parent.jobs.make.outputs.data}}
            """;

    @BeforeAll
    static void components() {
        DesignerFixtures.registerComponents(server.http(), "");
    }

    @Test
    void everySaveIsANewVersionAndAStaleSaveIsRefused() {
        JsonNode created = ok(server.http().post("/api/v1/designer/drafts", Map.of("name", "empty one")));
        String id = created.path("id").asText();
        assertThat(created.path("version").asInt()).isEqualTo(1);
        assertThat(created.path("owner").asText()).isNotEmpty();
        assertThat(created.at("/document/pipeline/type").asText()).isEqualTo("pipeline");

        JsonNode document = yaml("type: pipeline\ndescription: second\njobs: {}\n");
        JsonNode saved = ok(server.http().send("PUT", "/api/v1/designer/drafts/" + id, Map.of("base_version", 1, "name", "renamed",
                "document", Map.of("pipeline", document, "layout", Map.of("make", Map.of("x", 10, "y", 20))))));
        assertThat(saved.path("version").asInt()).isEqualTo(2);
        assertThat(saved.path("name").asText()).isEqualTo("renamed");
        assertThat(saved.at("/document/layout/make/x").asInt()).isEqualTo(10);

        HttpJson.Response stale = server.http().send("PUT", "/api/v1/designer/drafts/" + id, Map.of("base_version", 1,
                "document", Map.of("pipeline", document)));
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.text()).contains("version 2");
        assertThat(ok(server.http().get("/api/v1/designer/drafts/" + id + "?version=1")).at("/document/pipeline/description").isMissingNode())
                .isTrue();
        assertThat(ok(server.http().get("/api/v1/designer/drafts")).path("drafts").findValuesAsText("id")).contains(id);

        HttpJson.Response notAPipeline = server.http().send("PUT", "/api/v1/designer/drafts/" + id, Map.of("base_version", 2,
                "document", Map.of("pipeline", Map.of("type", "command"))));
        assertThat(notAPipeline.status()).isEqualTo(400);
        assertThat(notAPipeline.text()).contains("document.pipeline.type");
        HttpJson.Response badLayout = server.http().send("PUT", "/api/v1/designer/drafts/" + id, Map.of("base_version", 2,
                "document", Map.of("pipeline", document, "layout", Map.of("make", "left"))));
        assertThat(badLayout.text()).contains("document.layout.make");

        assertThat(server.http().send("DELETE", "/api/v1/designer/drafts/" + id, null).status()).isEqualTo(200);
        assertThat(server.http().get("/api/v1/designer/drafts/" + id).status()).isEqualTo(404);
    }

    @Test
    void anImportedPipelineExportsAsAnEquivalentDocument() {
        JsonNode draft = ok(server.http().post("/api/v1/designer/drafts", Map.of("name", "imported", "pipeline_yaml", PIPELINE)));
        String exported = server.http().get("/api/v1/designer/drafts/" + draft.path("id").asText() + "/pipeline").text();
        assertThat(yaml(exported)).isEqualTo(yaml(PIPELINE));

        assertThat(DraftDocument.pipeline(DraftDocument.of(DraftDocument.parseYaml(PIPELINE, "file")))).isEqualTo(yaml(PIPELINE));
        assertThat(yaml(DraftDocument.yaml(yaml(PIPELINE)))).as("the conversion alone").isEqualTo(yaml(PIPELINE));

        HttpJson.Response broken = server.http().post("/api/v1/designer/drafts", Map.of("name", "x", "pipeline_yaml", "jobs: [1\n"));
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.text()).contains("pipeline_yaml");
    }

    @Test
    void validationIsThePipelineApisOwn() {
        int jobs = ok(server.http().get("/api/v1/jobs")).path("jobs").size();
        JsonNode valid = yaml(PIPELINE);
        assertThat(ok(server.http().post("/api/v1/designer/validate", Map.of("document", Map.of("pipeline", valid)))).path("valid")
                .asBoolean()).isTrue();

        JsonNode mismatch = yaml("""
                type: pipeline
                jobs:
                  file: {component: azureml:one_file:1}
                  count:
                    component: azureml:count_rows:1
                    inputs: {data: "${{parent.jobs.file.outputs.file}}"}
                """);
        HttpJson.Response refused = server.http().post("/api/v1/designer/validate", Map.of("document", Map.of("pipeline", mismatch)));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("Type mismatch", "jobs.count.inputs.data");

        JsonNode missing = yaml("type: pipeline\njobs:\n  count: {component: azureml:count_rows:1}\n");
        assertThat(server.http().post("/api/v1/designer/validate", Map.of("document", Map.of("pipeline", missing))).text())
                .contains("Missing required input 'jobs.count.inputs.data'");
        assertThat(ok(server.http().get("/api/v1/jobs")).path("jobs").size()).as("nothing submitted").isEqualTo(jobs);
    }

    @Test
    void aPipelineJobOpensAsANewDraft() {
        HttpJson.Response submitted = server.http().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.url() + "/api/v1/jobs")).header("Content-Type", "application/yaml")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(PIPELINE.replace("display_name: Count, nightly",
                        "name: counted\ndisplay_name: Count, nightly"))).build());
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);

        JsonNode draft = ok(server.http().post("/api/v1/designer/drafts", Map.of("from_job", "counted")));
        assertThat(draft.path("name").asText()).isEqualTo("counted");
        JsonNode pipeline = draft.at("/document/pipeline");
        assertThat(pipeline.has("name")).as("a new submission gets a new name").isFalse();
        assertThat(pipeline.path("jobs").has("count")).isTrue();
        assertThat(pipeline.at("/jobs/count/inputs/data").asText()).isEqualTo("${{parent.jobs.make.outputs.data}}");
        assertThat(server.http().post("/api/v1/designer/drafts", Map.of("from_job", "nothing")).status()).isEqualTo(404);
    }

    private static JsonNode ok(HttpJson.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
