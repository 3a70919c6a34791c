package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** How the endpoint and deployment commands print the server's endpoint and deployment objects. */
final class ServingTables {
    private ServingTables() {
    }

    /** A time the server sent as epoch milliseconds or as an ISO-8601 instant; {@code -} when absent. */
    static String time(JsonNode value) {
        if (value.isNumber()) {
            return Output.time(value.longValue());
        }
        try {
            return value.isTextual() ? Output.time(Optional.of(Instant.parse(value.asText()))) : "-";
        } catch (DateTimeParseException e) {
            return value.asText();
        }
    }

    /** A {@code {"blue": 90}} object as an ordered map. */
    static Map<String, Integer> weights(JsonNode node) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        node.properties().forEach(entry -> weights.put(entry.getKey(), entry.getValue().asInt()));
        return weights;
    }

    /** Tags as {@code k=v, k2=v2}. */
    static String tags(JsonNode node) {
        return node.properties().stream().map(entry -> entry.getKey() + "=" + entry.getValue().asText()).collect(Collectors.joining(", "));
    }

    /** A deployment's model: {@code name/version}, or the reference it was given. */
    static String model(JsonNode deployment) {
        JsonNode version = deployment.path("model_version");
        return version.has("name") ? version.path("name").asText() + "/" + version.path("version").asText()
                : deployment.path("model").asText("-");
    }

    /** The deployments of an endpoint with their share of its traffic and mirror traffic. */
    static Table deployments(String title, JsonNode endpoint) {
        Table table = Table.titled(title, "NAME", "MODEL", "STATE", "INSTANCES", "COMPUTE", "TRAFFIC", "MIRROR");
        Map<String, Integer> traffic = weights(endpoint.path("traffic"));
        Map<String, Integer> mirror = weights(endpoint.path("mirror_traffic"));
        endpoint.path("deployments").forEach(deployment -> {
            String name = deployment.path("name").asText();
            table.row(name, model(deployment), deployment.path("provisioning_state").asText(), deployment.path("instance_count").asText(),
                    deployment.path("compute").asText("-"), traffic.getOrDefault(name, 0) + "%",
                    mirror.containsKey(name) ? mirror.get(name) + "%" : "-");
        });
        return table;
    }

    /** One deployment's details. */
    static Table deployment(JsonNode deployment) {
        JsonNode settings = deployment.path("request_settings");
        JsonNode code = deployment.path("code_configuration");
        Table details = Table.details()
                .row("Name:", deployment.path("name").asText())
                .row("Endpoint:", deployment.path("endpoint_name").asText())
                .row("State:", deployment.path("provisioning_state").asText())
                .row("Model:", model(deployment))
                .row("Flavor:", deployment.path("flavor").asText("-"))
                .row("Scoring script:", code.has("scoring_script") ? code.path("scoring_script").asText() + " (" + code.path("code").asText()
                        + ")" : "-")
                .row("Environment:", deployment.path("environment").asText("-"))
                .row("Instances:", deployment.path("instance_count").asText())
                .row("Compute:", deployment.path("compute").asText("-"))
                .row("Max concurrent:", settings.path("max_concurrent_requests_per_instance").asText("-"))
                .row("Timeout (ms):", settings.path("request_timeout_ms").asText("-"))
                .row("Max payload:", settings.path("max_payload_bytes").asText("-"))
                .row("Created:", time(deployment.path("created_at")))
                .row("Updated:", time(deployment.path("updated_at")));
        if (deployment.has("error") && !deployment.path("error").isNull()) {
            details.row("Error:", dev.atelier.sdk.DeploymentClient.error(deployment));
        }
        return details;
    }
}
