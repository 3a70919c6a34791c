package dev.atelier.server.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.http.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Batch endpoints and deployments as the API shows them (docs/batch-endpoints.md) — field names as Azure ML's YAML has
 * them — and the deployment's stored document, which is the same JSON read back by {@link #storedDeployment}.
 */
final class BatchJson {
    private BatchJson() {
    }

    static Map<String, Object> endpoint(BatchEndpoint endpoint, String scoringUri, List<BatchDeployment> deployments) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", endpoint.name());
        json.put("description", endpoint.description());
        json.put("auth_mode", endpoint.authMode());
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("deployment_name", endpoint.defaultDeployment().orElse(null));
        json.put("defaults", defaults);
        json.put("scoring_uri", scoringUri);
        json.put("tags", endpoint.tags());
        json.put("deployments", deployments.stream().map(BatchDeployment::name).toList());
        json.put("created_by", endpoint.createdBy());
        json.put("created_at", endpoint.createdAt());
        json.put("updated_at", endpoint.updatedAt());
        return json;
    }

    static ObjectNode deployment(BatchDeployment deployment) {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("name", deployment.name());
        json.put("endpoint_name", deployment.endpoint());
        json.put("type", "model");
        json.put("description", deployment.description());
        json.put("model", "azureml:" + deployment.modelName() + ":" + deployment.modelVersion());
        json.put("model_name", deployment.modelName());
        json.put("model_version", deployment.modelVersion());
        if (deployment.code().isPresent()) {
            json.putObject("code_configuration").put("code", "snapshot:" + deployment.code().get())
                    .put("scoring_script", deployment.scoringScript().orElseThrow());
        }
        deployment.environment().ifPresent(environment -> json.put("environment", "azureml:" + environment));
        json.put("compute", deployment.compute());
        BatchSettings settings = deployment.settings();
        json.putObject("resources").put("instance_count", settings.instanceCount());
        ObjectNode fields = json.putObject("settings");
        fields.put("max_concurrency_per_instance", settings.maxConcurrencyPerInstance());
        settings.miniBatchSize().ifPresentOrElse(size -> fields.put("mini_batch_size", size), () -> fields.putNull("mini_batch_size"));
        fields.put("error_threshold", settings.errorThreshold());
        fields.putObject("retry_settings").put("max_retries", settings.maxRetries()).put("timeout", settings.timeoutSeconds());
        fields.put("output_action", settings.outputAction().wireName());
        fields.put("output_file_name", settings.outputFileName());
        fields.put("logging_level", settings.loggingLevel());
        ObjectNode variables = fields.putObject("environment_variables");
        settings.environmentVariables().forEach(variables::put);
        json.put("created_at", deployment.createdAt());
        json.put("updated_at", deployment.updatedAt());
        return json;
    }

    /** Reads back a document {@link #deployment} wrote. */
    static BatchDeployment storedDeployment(String workspace, JsonNode json) {
        ObjectNode settingsDocument = Json.mapper().createObjectNode();
        settingsDocument.set("settings", json.get("settings"));
        settingsDocument.set("resources", json.get("resources"));
        BatchSettings settings = BatchDocuments.settings(settingsDocument, Optional.empty());
        JsonNode code = json.path("code_configuration");
        return new BatchDeployment(workspace, json.path("endpoint_name").asText(), json.path("name").asText(), json.path("description").asText(),
                json.path("model_name").asText(), json.path("model_version").asText(),
                code.isObject() ? Optional.of(code.path("code").asText().substring("snapshot:".length())) : Optional.empty(),
                code.isObject() ? Optional.of(code.path("scoring_script").asText()) : Optional.empty(),
                json.hasNonNull("environment") ? Optional.of(json.get("environment").asText().substring("azureml:".length())) : Optional.empty(),
                json.path("compute").asText(), settings, json.path("created_at").asLong(), json.path("updated_at").asLong());
    }
}
