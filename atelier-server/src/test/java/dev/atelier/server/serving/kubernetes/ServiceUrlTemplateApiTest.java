package dev.atelier.server.serving.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A kubernetes compute target keeps the {@code service_url_template} endpoints reach their Services with. */
class ServiceUrlTemplateApiTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void computeTargetStoresAndShowsTheServiceUrlTemplate() {
        String template = "https://serving.example.com/{namespace}/{service}";
        JsonNode created = server.http().post("/api/v1/computes", Map.of("name", "serving", "kind", "kubernetes",
                "kubernetes", Map.of("namespace", "ml", "service_url_template", template))).json();
        assertThat(created.path("kubernetes").path("service_url_template").asText()).as(created.toString()).isEqualTo(template);
        JsonNode shown = server.http().get("/api/v1/computes/serving").json();
        assertThat(shown.path("kubernetes").path("service_url_template").asText()).as(shown.toString()).isEqualTo(template);
        assertThat(shown.path("kubernetes").path("namespace").asText()).isEqualTo("ml");

        JsonNode plain = server.http().post("/api/v1/computes", Map.of("name", "plain", "kind", "kubernetes",
                "kubernetes", Map.of("namespace", "ml"))).json();
        assertThat(plain.path("kubernetes").has("service_url_template")).as(plain.toString()).isFalse();
    }
}
