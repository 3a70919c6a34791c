package dev.atelier.server.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a deployment runs, as accepted from its document: the model as given and the version it was
 * pinned to, an optional scoring script (code snapshot and script path) and environment, where it
 * runs, how many instances, and its request limits and data collection.
 *
 * @param code          the snapshot id holding the scoring script's folder
 * @param environment   {@code name:version}, pinned at creation
 */
public record DeploymentSpec(String model, String modelName, String modelVersion, Optional<String> code,
                             Optional<String> scoringScript, Optional<String> environment, String compute, int instanceCount,
                             RequestSettings requestSettings, Map<String, String> environmentVariables,
                             DataCollector dataCollector, String description) {
    public DeploymentSpec {
        requireNonNull(model, "model is null");
        requireNonNull(modelName, "modelName is null");
        requireNonNull(modelVersion, "modelVersion is null");
        requireNonNull(code, "code is null");
        requireNonNull(scoringScript, "scoringScript is null");
        requireNonNull(environment, "environment is null");
        requireNonNull(compute, "compute is null");
        requireNonNull(requestSettings, "requestSettings is null");
        environmentVariables = Map.copyOf(requireNonNull(environmentVariables, "environmentVariables is null"));
        requireNonNull(dataCollector, "dataCollector is null");
        requireNonNull(description, "description is null");
    }

    /** Whether it runs a scoring script rather than the model in the server's JVM. */
    public boolean scripted() {
        return scoringScript.isPresent();
    }

    /**
     * Limits of each request.
     *
     * @param maxConcurrentRequestsPerInstance requests served at once per instance; more wait up to the timeout, then get 429
     */
    public record RequestSettings(int maxConcurrentRequestsPerInstance, int requestTimeoutMs, long maxPayloadBytes) {
        public static final RequestSettings DEFAULTS = new RequestSettings(32, 5_000, 4L * 1024 * 1024);
    }

    /** Request/response logging: whether it is on and the share of requests logged. */
    public record DataCollector(boolean enabled, double samplingRate) {
        public static final DataCollector OFF = new DataCollector(false, 1.0);
    }

    /** The spec as the API shows it and the database stores it. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("model", model);
        json.putObject("model_version").put("name", modelName).put("version", modelVersion);
        if (scoringScript.isPresent()) {
            json.putObject("code_configuration").put("code", "snapshot:" + code.orElse("")).put("scoring_script", scoringScript.get());
        }
        environment.ifPresent(value -> json.put("environment", value));
        json.put("compute", compute);
        json.put("instance_count", instanceCount);
        json.putObject("request_settings")
                .put("max_concurrent_requests_per_instance", requestSettings.maxConcurrentRequestsPerInstance())
                .put("request_timeout_ms", requestSettings.requestTimeoutMs())
                .put("max_payload_bytes", requestSettings.maxPayloadBytes());
        ObjectNode variables = json.putObject("environment_variables");
        environmentVariables.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> variables.put(e.getKey(), e.getValue()));
        json.putObject("data_collector").put("enabled", dataCollector.enabled()).put("sampling_rate", dataCollector.samplingRate());
        json.put("description", description);
        return json;
    }

    /** Reads what {@link #toJson()} wrote. */
    public static DeploymentSpec fromJson(JsonNode json) {
        JsonNode code = json.path("code_configuration");
        Map<String, String> variables = new LinkedHashMap<>();
        json.path("environment_variables").properties().forEach(e -> variables.put(e.getKey(), e.getValue().asText()));
        JsonNode limits = json.path("request_settings");
        return new DeploymentSpec(json.path("model").asText(), json.path("model_version").path("name").asText(),
                json.path("model_version").path("version").asText(),
                code.isMissingNode() ? Optional.empty() : Optional.of(code.path("code").asText().substring("snapshot:".length())),
                code.isMissingNode() ? Optional.empty() : Optional.of(code.path("scoring_script").asText()),
                json.hasNonNull("environment") ? Optional.of(json.path("environment").asText()) : Optional.empty(),
                json.path("compute").asText(), json.path("instance_count").asInt(),
                new RequestSettings(limits.path("max_concurrent_requests_per_instance").asInt(), limits.path("request_timeout_ms").asInt(),
                        limits.path("max_payload_bytes").asLong()),
                variables, new DataCollector(json.path("data_collector").path("enabled").asBoolean(),
                json.path("data_collector").path("sampling_rate").asDouble(1.0)), json.path("description").asText(""));
    }
}
