package dev.atelier.server.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.models.ModelRuntime;
import dev.atelier.server.models.ModelRuntimes;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A no-code ONNX deployment behind a key-auth endpoint, scored with each protocol over real HTTP. */
class EndpointScoringTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    @TempDir
    static Path scratch;
    private static final HttpJson http = server.http();
    private static ServingFixture serving;
    private static String key;

    @BeforeAll
    static void deploy() throws Exception {
        serving = new ServingFixture(http, scratch);
        serving.registerOnnx("churn-onnx");
        JsonNode endpoint = serving.createEndpoint("name: churn\nauth_mode: key\ndescription: Churn scoring\n");
        assertThat(endpoint.path("scoring_uri").asText()).isEqualTo(server.url() + "/endpoints/churn/score");
        serving.createDeployment("churn", """
                name: blue
                model: models:/churn-onnx/1
                instance_count: 1
                """);
        JsonNode deployment = serving.awaitProvisioned("churn", "blue");
        assertThat(deployment.path("provisioning_state").asText()).as(deployment.toString()).isEqualTo("Succeeded");
        key = serving.primaryKey("churn");
    }

    @Test
    void mlflowInvocationsAnswersPredictions() {
        HttpJson.Response response = serving.score("churn", "/invocations", key, "application/json",
                "{\"inputs\": [[0.1, 0.9], [0.9, 0.1]]}");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().path("predictions").size()).isEqualTo(2);
    }

    @Test
    void noKeyAndWrongKeyAreRefused() {
        assertThat(serving.score("churn", "/invocations", null, "application/json", "{\"inputs\": [[0.1, 0.9]]}").status()).isEqualTo(401);
        assertThat(serving.score("churn", "/invocations", "wrong", "application/json", "{\"inputs\": [[0.1, 0.9]]}").status()).isEqualTo(401);
    }
}
