package dev.atelier.server.components;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.environments.EnvironmentService;
import dev.atelier.server.environments.JdbcEnvironmentStore;
import dev.atelier.server.snapshots.SnapshotService;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Registering, reading, archiving and resolving components over the native API (docs/components.md). */
class ComponentApiTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static final String TRAIN = """
            $schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json
            type: command
            name: %s
            %s
            display_name: Train
            description: Trains a model
            code: snapshot:%s
            environment: azureml:tools@latest
            command: python train.py --lr ${{inputs.lr}} $[[--epochs ${{inputs.epochs}}]] --out ${{outputs.model}}
            inputs:
              lr: {type: number, default: 0.01, min: 0, max: 1}
              epochs: {type: integer, optional: true}
              data: {type: uri_folder}
            outputs:
              model: {type: mlflow_model}
            """;

    @Test
    void aVersionIsGeneratedPinnedAndNeverChanges() {
        HttpJson http = server.http();
        http.post("/api/v1/environments", Map.of("name", "tools", "kind", "process", "executable", "python3"));
        String code = snapshot("train.py", "print('train')\n");

        HttpJson.Response first = yaml(TRAIN.formatted("train", "", code));
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        JsonNode created = first.json();
        assertThat(created.path("name").asText()).isEqualTo("train");
        assertThat(created.path("version").asText()).isEqualTo("1");
        assertThat(created.path("archived").asBoolean()).isFalse();
        assertThat(created.path("document").path("code").asText()).isEqualTo("snapshot:" + code);
        assertThat(created.path("document").path("environment").asText()).as("@latest pinned").isEqualTo("azureml:tools:1");
        assertThat(created.path("document").path("inputs").path("lr").path("max").asInt()).isEqualTo(1);

        assertThat(yaml(TRAIN.formatted("train", "", code)).json().path("version").asText())
                .as("the same document again is the same version").isEqualTo("1");
        http.post("/api/v1/environments", Map.of("name", "tools", "kind", "process", "executable", "python3.12"));
        assertThat(yaml(TRAIN.formatted("train", "", code)).json().path("version").asText())
                .as("@latest now pins another environment version").isEqualTo("2");

        HttpJson.Response named = yaml(TRAIN.formatted("train", "version: 1.0.0", code));
        assertThat(named.json().path("version").asText()).as(named.text()).isEqualTo("1.0.0");
        assertThat(yaml(TRAIN.formatted("train", "version: 1.0.0", code)).json().path("created_at").asLong())
                .as("identical re-registration answers the existing version").isEqualTo(named.json().path("created_at").asLong());
        HttpJson.Response changed = yaml(TRAIN.formatted("train", "version: 1.0.0", code).replace("Trains a model", "Trains"));
        assertThat(changed.status()).isEqualTo(409);
        assertThat(changed.errorCode()).isEqualTo("RESOURCE_CONFLICT");
        assertThat(changed.json().path("message").asText()).contains("'train'", "1.0.0");

        assertThat(versions(http.get("/api/v1/components/train/versions")))
                .containsExactly("1.0.0", "2", "1");
        assertThat(http.get("/api/v1/components/train").json().path("version").asText()).isEqualTo("1.0.0");
        assertThat(http.get("/api/v1/components/train/versions/1").json().path("document").path("description").asText())
                .isEqualTo("Trains a model");
        assertThat(http.get("/api/v1/components").json().path("components").findValuesAsText("name")).contains("train");
    }

    @Test
    void archivedVersionsAreSkippedByLatestButStillResolveByVersion() {
        HttpJson http = server.http();
        create(Map.of("name", "prep", "version", "1", "command", "echo one"));
        create(Map.of("name", "prep", "version", "2", "command", "echo two"));
        ComponentService service = service();

        assertThat(versions(http.post("/api/v1/components/prep/archive", Map.of("version", "2")))).containsExactly("2");
        assertThat(http.get("/api/v1/components/prep").json().path("version").asText()).isEqualTo("1");
        assertThat(service.resolve("default", "jobs.a.component", "azureml:prep@latest").version()).isEqualTo("1");
        assertThat(service.resolve("default", "jobs.a.component", "prep:2").archived()).isTrue();
        assertThat(http.get("/api/v1/components/prep/versions/2").json().path("archived").asBoolean()).isTrue();

        http.post("/api/v1/components/prep/archive", null);
        assertThat(http.get("/api/v1/components").json().path("components").findValuesAsText("name")).doesNotContain("prep");
        assertThat(http.get("/api/v1/components?include_archived=true").json().path("components").findValuesAsText("name"))
                .contains("prep");
        assertThat(http.get("/api/v1/components/prep").json().path("version").asText())
                .as("every version archived: the latest archived one").isEqualTo("2");
        assertThatThrownBy(() -> service.resolve("default", "jobs.a.component", "azureml:prep@latest"))
                .isInstanceOfSatisfying(AtelierException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
                    assertThat(e.getMessage()).contains("'jobs.a.component'", "archived");
                });
        assertThat(service.resolve("default", "jobs.a.component", "azureml:prep:1").version()).isEqualTo("1");

        assertThat(versions(http.post("/api/v1/components/prep/restore", Map.of("version", "1")))).containsExactly("1");
        assertThat(service.resolve("default", "f", "prep@latest").version()).isEqualTo("1");
        http.post("/api/v1/components/prep/restore", Map.of());
        assertThat(service.resolve("default", "f", "prep@latest").version()).isEqualTo("2");
    }

    @Test
    void referencesThatNameNothingOrAreMalformedAreRefused() {
        create(Map.of("name", "azureml", "version", "prep", "command", "echo"));
        ComponentService service = service();
        assertThat(code(() -> service.resolve("default", "jobs.s.component", "azureml:nothing@latest")))
                .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThat(code(() -> service.resolve("default", "jobs.s.component", "nothing:3"))).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThat(code(() -> service.resolve("default", "jobs.s.component", "azureml:prep"))).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(code(() -> service.resolve("default", "jobs.s.component", "azureml://registries/x/components/y")))
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }

    @Test
    void badDocumentsAreRefusedNamingTheFieldAndNothingIsWritten() {
        HttpJson http = server.http();
        assertRefused(Map.of("name", "Bad-Name", "command", "echo"), 400, "'name'");
        assertRefused(Map.of("name", "bad", "command", "echo ${{inputs.x}}", "inputs", Map.of("x", Map.of("type", "float"))), 400,
                "'inputs.x.type'");
        assertRefused(Map.of("name", "bad", "command", "echo ${{inputs.x}}",
                "inputs", Map.of("x", Map.of("type", "number", "min", 5, "max", 1))), 400, "'inputs.x.min'");
        assertRefused(Map.of("name", "bad", "command", "echo ${{inputs.x}}",
                "inputs", Map.of("x", Map.of("type", "string", "enum", List.of("a", "b"), "default", "c"))), 400, "'inputs.x.default'");
        assertRefused(Map.of("name", "bad", "command", "echo", "code", "snapshot:" + "a".repeat(64)), 404, "'code'");
        assertRefused(Map.of("name", "bad", "command", "echo", "environment", "azureml:missing:1"), 404, "'environment'");
        assertRefused(Map.of("name", "bad", "command", "echo", "environment", Map.of("image", "python:3.12", "python", "3.12")), 400,
                "'environment.");
        assertThat(http.get("/api/v1/components/bad").errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(http.get("/api/v1/components/bad/versions").errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(http.get("/api/v1/components/bad/versions/1").status()).isEqualTo(404);
        assertThat(http.post("/api/v1/components/bad/archive", null).status()).isEqualTo(404);
        assertThat(http.post("/api/v1/components/bad/restore", Map.of("version", "3")).status()).isEqualTo(404);
        assertThat(http.send("POST", "/api/v1/components", "[1, 2]").status()).isEqualTo(400);
    }

    @Test
    void anInlineEnvironmentIsRegisteredAnonymouslyAndPinned() {
        Map<String, Object> document = Map.of("name", "inline_env", "command", "python -V",
                "environment", Map.of("image", "python:3.12-slim"));
        JsonNode created = create(document);
        String environment = created.path("document").path("environment").asText();
        assertThat(environment).startsWith("azureml:" + EnvironmentService.ANONYMOUS + ":");
        assertThat(server.http().get("/api/v1/environments/" + EnvironmentService.ANONYMOUS + "/versions/"
                + environment.substring(environment.lastIndexOf(':') + 1)).json().path("image").asText()).isEqualTo("python:3.12-slim");
        assertThat(create(document).path("version").asText()).as("the same inline environment is the same version").isEqualTo("1");
    }

    /** The versions of an answer's {@code components}, in order. */
    private static List<String> versions(HttpJson.Response answer) {
        List<String> versions = new java.util.ArrayList<>();
        answer.json().path("components").forEach(component -> versions.add(component.path("version").asText()));
        return versions;
    }

    private static void assertRefused(Map<String, Object> document, int status, String field) {
        HttpJson.Response refused = server.http().post("/api/v1/components", document);
        assertThat(refused.status()).as(refused.text()).isEqualTo(status);
        assertThat(refused.json().path("message").asText()).contains(field);
    }

    private static JsonNode create(Map<String, Object> document) {
        HttpJson.Response created = server.http().post("/api/v1/components", document);
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        return created.json();
    }

    private static HttpJson.Response yaml(String document) {
        return server.http().send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/components"))
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(document, StandardCharsets.UTF_8)).build());
    }

    /** Uploads one file as a snapshot (the CLI's blob batch, then the manifest) and returns its id. */
    private static String snapshot(String path, String content) {
        String hash = sha256(content);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        server.http().send("POST", "/api/v1/snapshots/blob-batch", hash + " " + bytes.length + "\n" + content);
        return server.http().post("/api/v1/snapshots", Map.of("files", List.of(Map.of("path", path, "sha256", hash,
                "size", bytes.length)))).json().path("snapshot_id").asText();
    }

    /** The service over the test server's database, for what only pipelines call ({@link ComponentService#resolve}). */
    private static ComponentService service() {
        var database = server.server().server().database();
        return new ComponentService(new JdbcComponentStore(database), new SnapshotService(database,
                server.server().server().dataDir().resolve("snapshots"), 1 << 20, Clock.systemUTC()),
                new EnvironmentService(new JdbcEnvironmentStore(database), Clock.systemUTC()), Clock.systemUTC(), java.util.Set.of());
    }

    private static ErrorCode code(Runnable call) {
        try {
            call.run();
        } catch (AtelierException e) {
            return e.errorCode();
        }
        throw new AssertionError("no error");
    }

    private static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
