package dev.atelier.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;

import static dev.atelier.server.registry.ModelFixture.API;
import static org.assertj.core.api.Assertions.assertThat;

/** Registering copies a version's files into registry storage, which outlives the source and is read-only to the artifact API. */
class RegistryStorageTest {
    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts";

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final HttpJson http = server.http();
    private static final ModelFixture models = new ModelFixture(http);

    @Test
    void downloadUriIsTheRegistryCopyWhichOutlivesTheCollectedRun() {
        String source = models.createVersion("outlives-run");
        String runId = source.substring("runs:/".length(), source.lastIndexOf('/'));
        String uri = http.get(API + "model-versions/get-download-uri?name=outlives-run&version=1").json().get("artifact_uri").asText();
        assertThat(uri).startsWith("mlflow-artifacts:/registry/");
        String copy = uri.substring("mlflow-artifacts:/".length());

        assertThat(http.post(API + "runs/delete", Map.of("run_id", runId)).status()).isEqualTo(200);
        assertThat(http.post("/api/v1/gc", Map.of("older_than_ms", 0)).status()).isEqualTo(200);
        assertThat(http.get(API + "runs/get?run_id=" + runId).status()).isEqualTo(404);

        JsonNode listing = http.get(PROXY + "?path=" + copy).json();
        assertThat(listing.get("files")).extracting(file -> file.get("path").asText())
                .containsExactly("MLmodel", "model.pkl", "python_env.yaml");
        assertThat(models.download(copy + "/model.pkl")).isEqualTo("weights of " + runId);
        assertThat(models.download(copy + "/MLmodel")).isEqualTo(ModelFixture.MLMODEL);
    }

    @Test
    void registryFilesCannotBeChangedThroughTheArtifactApi() {
        models.createVersion("read-only");
        String copy = http.get(API + "model-versions/get-download-uri?name=read-only&version=1").json().get("artifact_uri").asText()
                .substring("mlflow-artifacts:/".length());
        HttpJson.Response overwrite = http.send(HttpRequest.newBuilder(URI.create(server.url() + PROXY + "/" + copy + "/model.pkl"))
                .PUT(HttpRequest.BodyPublishers.ofString("evil")).build());
        assertThat(overwrite.status()).isEqualTo(403);
        assertThat(overwrite.errorCode()).isEqualTo("PERMISSION_DENIED");
        assertThat(http.send("DELETE", PROXY + "/" + copy, null).status()).isEqualTo(403);
        assertThat(http.send("DELETE", PROXY + "/registry", null).status()).isEqualTo(403);
        HttpJson.Response multipart = http.post("/api/2.0/mlflow-artifacts/mpu/create/" + copy + "/x.bin", Map.of("path", "x.bin"));
        assertThat(multipart.status()).isEqualTo(403);
        assertThat(models.download(copy + "/model.pkl")).startsWith("weights of ");
    }

    @Test
    void deletingAVersionOrAModelDeletesItsFiles() {
        models.createVersion("deleted-files");
        http.post(API + "model-versions/create", Map.of("name", "deleted-files", "source", models.logModel("deleted-files-2", "model")));
        String first = copyOf("deleted-files", "1");
        String second = copyOf("deleted-files", "2");
        assertThat(http.send("DELETE", API + "model-versions/delete", Map.of("name", "deleted-files", "version", "1")).status()).isEqualTo(200);
        assertThat(http.get(PROXY + "/" + first + "/MLmodel").status()).isEqualTo(404);
        assertThat(http.get(PROXY + "/" + second + "/MLmodel").status()).isEqualTo(200);
        assertThat(http.send("DELETE", API + "registered-models/delete", Map.of("name", "deleted-files")).status()).isEqualTo(200);
        assertThat(http.get(PROXY + "/" + second + "/MLmodel").status()).isEqualTo(404);
    }

    @Test
    void sourcesTheServerCannotReadAreRefusedAndNothingIsRegistered() {
        http.post(API + "registered-models/create", Map.of("name", "unreadable"));
        for (String source : new String[] {"s3://bucket/model", "relative/model", "/etc", "file:///etc", "mlflow-artifacts:/nothing/here",
                "mlflow-artifacts:/../escape", "mlflow-artifacts:/"}) {
            HttpJson.Response refused = http.post(API + "model-versions/create", Map.of("name", "unreadable", "source", source));
            assertThat(refused.status()).as(source).isEqualTo(400);
            assertThat(refused.errorCode()).as(source).isEqualTo("INVALID_PARAMETER_VALUE");
            assertThat(refused.json().get("message").asText()).as(source).contains(source.equals("mlflow-artifacts:/../escape") ? ".." : source);
        }
        HttpJson.Response unknownRun = http.post(API + "model-versions/create", Map.of("name", "unreadable", "source", "runs:/0000/model"));
        assertThat(unknownRun.status()).isEqualTo(404);
        assertThat(http.get(API + "registered-models/get?name=unreadable").json().at("/registered_model").has("latest_versions")).isFalse();
        JsonNode created = http.post(API + "model-versions/create", Map.of("name", "unreadable", "source", models.logModel("readable", "m")))
                .json().get("model_version");
        assertThat(created.get("version").asText()).isEqualTo("1");
    }

    @Test
    void aLocalPathInsideTheWorkspacesArtifactFolderIsCopied() {
        String source = models.logModel("local-path", "model");
        String runId = source.substring("runs:/".length(), source.lastIndexOf('/'));
        java.nio.file.Path folder = server.server().server().dataDir().resolve("artifacts/default").resolve(models.artifactRoot(runId)).resolve("model");
        http.post(API + "registered-models/create", Map.of("name", "local-path"));
        JsonNode version = http.post(API + "model-versions/create", Map.of("name", "local-path", "source", folder.toUri().toString()))
                .json().get("model_version");
        assertThat(version.get("status").asText()).isEqualTo("READY");
        assertThat(http.post(API + "model-versions/create", Map.of("name", "local-path", "source", folder.toString())).json()
                .at("/model_version/status").asText()).isEqualTo("READY");
    }

    @Test
    void aModelsUriSourceCopiesAnotherVersion() {
        models.createVersion("copied-from");
        http.post(API + "registered-models/alias", Map.of("name", "copied-from", "alias", "champion", "version", "1"));
        http.post(API + "registered-models/create", Map.of("name", "copied-to"));
        JsonNode version = http.post(API + "model-versions/create", Map.of("name", "copied-to", "source", "models:/copied-from@champion"))
                .json().get("model_version");
        assertThat(version.get("status").asText()).isEqualTo("READY");
        assertThat(models.download(copyOf("copied-to", "1") + "/model.pkl")).isEqualTo(models.download(copyOf("copied-from", "1") + "/model.pkl"));
    }

    @Test
    void aModelInAnotherWorkspaceIsDownloadedUnderItsPrefix() {
        http.post("/api/v1/workspaces", Map.of("name", "team-models"));
        ModelFixture team = new ModelFixture(http, "/w/team-models");
        team.createVersion("team-model");
        String uri = http.get("/w/team-models" + API + "model-versions/get-download-uri?name=team-model&version=1").json().get("artifact_uri").asText();
        String copy = uri.substring("mlflow-artifacts:/".length());
        assertThat(team.download(copy + "/python_env.yaml")).isEqualTo("python: 3.11\n");
        assertThat(http.get(PROXY + "/" + copy + "/python_env.yaml").status()).isEqualTo(404);
    }

    private static String copyOf(String name, String version) {
        return http.get(API + "model-versions/get-download-uri?name=" + name + "&version=" + version).json().get("artifact_uri").asText()
                .substring("mlflow-artifacts:/".length());
    }
}
