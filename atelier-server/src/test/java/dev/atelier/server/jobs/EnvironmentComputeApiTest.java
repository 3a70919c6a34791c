package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Versioned environments and compute targets over the native API. */
class EnvironmentComputeApiTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void environmentsAreVersioned() {
        HttpJson http = server.http();
        JsonNode first = http.post("/api/v1/environments", Map.of("name", "py", "kind", "process", "executable", "python3",
                "requirements", "numpy==2.1\n")).json();
        JsonNode second = http.post("/api/v1/environments", Map.of("name", "py", "kind", "process", "executable", "python3.11")).json();
        assertThat(first.path("version").asInt()).isEqualTo(1);
        assertThat(second.path("version").asInt()).isEqualTo(2);
        assertThat(http.get("/api/v1/environments/py").json().path("executable").asText()).isEqualTo("python3.11");
        assertThat(http.get("/api/v1/environments/py/versions/1").json().path("requirements").asText()).isEqualTo("numpy==2.1\n");
        assertThat(http.get("/api/v1/environments/py/versions").json().path("environments")).hasSize(2);
        http.post("/api/v1/environments", Map.of("name", "torch", "kind", "image", "image", "pytorch/pytorch:2.5"));
        assertThat(http.get("/api/v1/environments").json().path("environments").findValuesAsText("name")).containsSubsequence("py", "torch");
        assertThat(http.get("/api/v1/environments/missing").errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(http.post("/api/v1/environments", Map.of("name", "bad", "kind", "image")).json().path("message").asText())
                .contains("'image'");
        assertThat(http.post("/api/v1/environments", Map.of("name", "bad", "kind", "process", "executable", "x", "image", "y"))
                .json().path("message").asText()).contains("has no image");
        assertThat(http.post("/api/v1/environments", Map.of("name", "bad", "kind", "docker")).errorCode())
                .isEqualTo("INVALID_PARAMETER_VALUE");
    }

    @Test
    void environmentsAreCreatedFromAzureStyleDocuments() {
        HttpJson http = server.http();
        HttpJson.Response created = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(http.baseUrl() + "/api/v1/environments"))
                .header("Content-Type", "application/yaml")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("""
                        $schema: https://azuremlschemas.azureedge.net/latest/environment.schema.json
                        name: sk
                        version: 7
                        description: scikit-learn
                        tags: {team: vision}
                        python: "3.11"
                        requirements: [scikit-learn==1.5.2]
                        """)).build());
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        JsonNode sk = http.get("/api/v1/environments/sk/versions/7").json();
        assertThat(sk.path("kind").asText()).isEqualTo("python");
        assertThat(sk.path("python").asText()).isEqualTo("3.11");
        assertThat(sk.path("requirements").asText()).isEqualTo("scikit-learn==1.5.2\n");
        assertThat(sk.path("tags").path("team").asText()).isEqualTo("vision");
        assertThat(http.post("/api/v1/environments", Map.of("name", "sk", "python", "3.12")).json().path("version").asInt()).isEqualTo(8);
        assertThat(http.post("/api/v1/environments", Map.of("name", "sk", "version", 7, "python", "3.12")).errorCode())
                .isEqualTo("RESOURCE_ALREADY_EXISTS");
        JsonNode both = http.post("/api/v1/environments", Map.of("name", "sk", "python", "3.12", "image", "python:3.12")).json();
        assertThat(both.path("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(both.path("message").asText()).contains("'python'");
        assertThat(http.get("/api/v1/environments/sk/versions/8/build").json().path("state").asText()).isEqualTo("not_built");
        http.post("/api/v1/environments", Map.of("name", "java", "kind", "process", "executable", "java"));
        assertThat(http.get("/api/v1/environments/java/versions/1/build").json().path("state").asText()).isEqualTo("not_applicable");
        assertThat(http.get("/api/v1/environments/sk/versions/99/build").errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void localComputeIsBuiltInAndKubernetesTargetsAreManaged() {
        HttpJson http = server.http();
        JsonNode local = http.get("/api/v1/computes/local").json();
        assertThat(local.path("kind").asText()).isEqualTo("local");
        assertThat(local.path("max_concurrent_jobs").asInt()).isEqualTo(2);
        assertThat(http.send("DELETE", "/api/v1/computes/local", null).errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");

        JsonNode created = http.post("/api/v1/computes", Map.of("name", "k8s", "kind", "kubernetes", "max_concurrent_jobs", 3,
                "kubernetes", Map.of("namespace", "ml-jobs", "cpu", "500m", "memory", "1Gi"))).json();
        assertThat(created.path("kubernetes").path("namespace").asText()).isEqualTo("ml-jobs");
        assertThat(created.path("kubernetes").has("fetch_image")).as("the fetch image is the server's").isFalse();
        assertThat(http.post("/api/v1/computes", Map.of("name", "k8s", "kind", "kubernetes", "kubernetes", Map.of("namespace", "x")))
                .errorCode()).isEqualTo("RESOURCE_ALREADY_EXISTS");
        assertThat(http.send("PATCH", "/api/v1/computes/k8s", Map.of("max_concurrent_jobs", 5)).json().path("max_concurrent_jobs")
                .asInt()).isEqualTo(5);
        assertThat(http.get("/api/v1/computes/k8s").json().path("kubernetes").path("memory").asText()).isEqualTo("1Gi");
        assertThat(http.get("/api/v1/computes").json().path("computes").findValuesAsText("name")).containsExactly("local", "k8s");
        assertThat(http.post("/api/v1/computes", Map.of("name", "bad", "kind", "kubernetes",
                "kubernetes", Map.of("namespace", "x", "cpu", "lots"))).json().path("message").asText()).contains("kubernetes.cpu");
        assertThat(http.send("DELETE", "/api/v1/computes/k8s", null).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/computes/k8s").errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void processEnvironmentOnLocalRecordsItsReferenceAndImageEnvironmentIsRefused() {
        HttpJson http = server.http();
        http.post("/api/v1/environments", Map.of("name", "shell", "kind", "process", "executable", "sh"));
        http.post("/api/v1/environments", Map.of("name", "img", "kind", "image", "image", "python:3.11"));
        JobsFixture jobs = new JobsFixture(http);
        JsonNode job = jobs.submit("name: env-job\ncommand: echo $ATELIER_ENVIRONMENT\nenvironment: azureml:shell@latest\n");
        assertThat(jobs.awaitEnded("env-job", java.time.Duration.ofSeconds(30)).path("status").asText()).isEqualTo("Completed");
        assertThat(jobs.logLines("env-job")).contains("shell:1");
        assertThat(jobs.run(job.path("run_id").asText()).path("data").path("tags").toString()).contains("atelier.environment", "shell:1");
        assertThat(jobs.submitYaml("command: echo hi\nenvironment: img:1\n").json().path("message").asText())
                .contains("needs a kubernetes compute");
    }
}
