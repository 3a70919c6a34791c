package dev.atelier.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.atelier.server.registry.ModelFixture.API;
import static org.assertj.core.api.Assertions.assertThat;

/** The registry searches' filter grammar over HTTP: tag filters, and clear 400s for what MLflow's grammar refuses. */
class RegistrySearchApiTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final HttpJson http = server.http();
    private static final ModelFixture models = new ModelFixture(http);

    @Test
    void modelsAndVersionsAreFoundByTag() {
        http.post(API + "registered-models/create", Map.of("name", "tagged-a", "tags", List.of(Map.of("key", "task", "value", "fraud"))));
        http.post(API + "registered-models/create", Map.of("name", "tagged-b", "tags", List.of(Map.of("key", "task", "value", "churn"))));
        JsonNode found = http.get(API + "registered-models/search?filter=" + encode("tags.task = 'fraud'")).json();
        assertThat(found.get("registered_models")).extracting(model -> model.get("name").asText()).containsExactly("tagged-a");

        String source = models.logModel("tagged", "model");
        http.post(API + "model-versions/create", Map.of("name", "tagged-a", "source", source,
                "tags", List.of(Map.of("key", "validated", "value", "yes"))));
        http.post(API + "model-versions/create", Map.of("name", "tagged-a", "source", source));
        JsonNode versions = http.get(API + "model-versions/search?filter=" + encode("name = 'tagged-a' AND tags.`validated` = 'yes'")).json();
        assertThat(versions.get("model_versions")).extracting(version -> version.get("version").asText()).containsExactly("1");
    }

    @Test
    void filtersMlflowRefusesAreInvalidParameterValue() {
        for (String filter : List.of("tags.task = fraud", "name IN ('a')", "owner = 'x'", "metrics.acc > 1", "name = 'a' OR name = 'b'",
                "name ~ 'x'", "tags.task > 'a'")) {
            HttpJson.Response refused = http.get(API + "registered-models/search?filter=" + encode(filter));
            assertThat(refused.status()).as(filter).isEqualTo(400);
            assertThat(refused.errorCode()).as(filter).isEqualTo("INVALID_PARAMETER_VALUE");
        }
        for (String filter : List.of("version_number = 'one'", "source_path IN ('a')", "run_id > 'a'", "tags.k IN ('a')")) {
            HttpJson.Response refused = http.get(API + "model-versions/search?filter=" + encode(filter));
            assertThat(refused.status()).as(filter).isEqualTo(400);
            assertThat(refused.errorCode()).as(filter).isEqualTo("INVALID_PARAMETER_VALUE");
        }
        assertThat(http.get(API + "model-versions/search?order_by=" + encode("version_number DESC")).status()).isEqualTo(200);
        assertThat(http.get(API + "registered-models/search?order_by=" + encode("creation_timestamp DESC")).status()).isEqualTo(200);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
