package dev.atelier.server.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.ApiRequest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads batch endpoint and deployment documents (JSON, or YAML as Azure ML CLI v2's batch endpoint and deployment YAML)
 * into what the service checks further. Fields Azure has and Atelier has no use for are accepted and ignored; any other
 * field is refused with a 400 naming it, as is a value of the wrong kind or out of range.
 */
final class BatchDocuments {
    static final Pattern ENDPOINT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{1,30}[A-Za-z0-9]");
    static final Pattern DEPLOYMENT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,31}");
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot:([0-9a-f]{64})");
    private static final Set<String> AZURE_IGNORED = Set.of("$schema", "properties", "identity", "type", "instance_type");
    private static final Set<String> ENDPOINT_FIELDS = Set.of("name", "description", "auth_mode", "defaults", "tags");
    private static final Set<String> DEPLOYMENT_FIELDS = Set.of("name", "endpoint_name", "description", "tags", "model",
            "code_configuration", "environment", "compute", "resources", "settings",
            // Azure's CLI v1-style top-level settings, also accepted
            "max_concurrency_per_instance", "mini_batch_size", "error_threshold", "retry_settings", "output_action",
            "output_file_name", "logging_level", "environment_variables");
    private static final Set<String> SETTINGS_FIELDS = Set.of("max_concurrency_per_instance", "mini_batch_size", "error_threshold",
            "retry_settings", "output_action", "output_file_name", "logging_level", "environment_variables");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private BatchDocuments() {
    }

    /** An endpoint document before it is stored. */
    record EndpointFields(String name, String description, String authMode, Optional<String> defaultDeployment, Map<String, String> tags) {
    }

    /** A deployment document as written; {@code model}, {@code environment} and {@code compute} are resolved by the service. */
    record DeploymentFields(String name, Optional<String> endpointName, String description, String model, Optional<String> code,
                            Optional<String> scoringScript, Optional<String> environment, String compute, BatchSettings settings) {
    }

    static EndpointFields endpoint(ObjectNode document) {
        refuseUnknown(document, ENDPOINT_FIELDS, "batch endpoint");
        ApiRequest request = ApiRequest.of(document);
        String name = request.requiredString("name");
        requireName("name", name, ENDPOINT_NAME, "3 to 32 letters, digits and dashes, starting with a letter");
        return new EndpointFields(name, request.optionalString("description").orElse(""), authMode(request.optionalString("auth_mode")),
                defaultDeployment(document), stringMap(document, "tags"));
    }

    static String authMode(Optional<String> value) {
        String mode = value.orElse("aad_token");
        return switch (mode) {
            case "key" -> "key";
            case "aad_token", "token", "aml_token" -> "aad_token";
            default -> throw AtelierException.invalidParameter("Invalid value '" + mode + "' for 'auth_mode': use key or aad_token");
        };
    }

    static Optional<String> defaultDeployment(ObjectNode document) {
        JsonNode defaults = document.get("defaults");
        if (defaults == null || defaults.isNull()) {
            return Optional.empty();
        }
        if (!defaults.isObject()) {
            throw AtelierException.invalidParameter("Invalid value for 'defaults': expected a mapping with deployment_name");
        }
        refuseUnknown((ObjectNode) defaults, Set.of("deployment_name"), "defaults");
        Optional<String> name = ApiRequest.of((ObjectNode) defaults).optionalString("deployment_name");
        name.ifPresent(value -> requireName("defaults.deployment_name", value, DEPLOYMENT_NAME, "1 to 32 letters, digits and dashes"));
        return name;
    }

    static DeploymentFields deployment(ObjectNode document) {
        refuseUnknown(document, DEPLOYMENT_FIELDS, "batch deployment");
        ApiRequest request = ApiRequest.of(document);
        String name = request.requiredString("name");
        requireName("name", name, DEPLOYMENT_NAME, "1 to 32 letters, digits and dashes, starting with a letter");
        String type = document.path("type").asText("model");
        if (!type.equals("model")) {
            throw AtelierException.invalidParameter("Invalid value '" + type + "' for 'type': Atelier's batch deployments are type: model");
        }
        JsonNode modelNode = document.get("model");
        if (modelNode == null || !modelNode.isTextual() || modelNode.asText().isBlank()) {
            throw AtelierException.invalidParameter("Missing value for required field 'model' (models:/<name>/<version>, "
                    + "models:/<name>@<alias>, azureml:<name>:<version> or azureml:<name>@<label>)");
        }
        Optional<String> code = Optional.empty();
        Optional<String> script = Optional.empty();
        JsonNode configuration = document.get("code_configuration");
        if (configuration != null && !configuration.isNull()) {
            if (!configuration.isObject()) {
                throw AtelierException.invalidParameter("Invalid value for 'code_configuration': expected a mapping with code and scoring_script");
            }
            refuseUnknown((ObjectNode) configuration, Set.of("code", "scoring_script"), "code_configuration");
            ApiRequest fields = ApiRequest.of((ObjectNode) configuration);
            String reference = fields.optionalString("code").orElseThrow(() -> AtelierException.invalidParameter(
                    "Missing value for required field 'code_configuration.code'"));
            Matcher snapshot = SNAPSHOT.matcher(reference);
            if (!snapshot.matches()) {
                throw AtelierException.invalidParameter("Invalid value '" + reference + "' for 'code_configuration.code': upload the folder "
                        + "first (the CLI does) and send snapshot:<id>");
            }
            code = Optional.of(snapshot.group(1));
            script = Optional.of(fields.optionalString("scoring_script").orElseThrow(() -> AtelierException.invalidParameter(
                    "Missing value for required field 'code_configuration.scoring_script'")));
            if (script.get().startsWith("/") || script.get().contains("..") || !script.get().endsWith(".py")) {
                throw AtelierException.invalidParameter("Invalid value '" + script.get() + "' for 'code_configuration.scoring_script': "
                        + "a .py file's path inside code");
            }
        }
        Optional<String> environment = Optional.empty();
        JsonNode environmentNode = document.get("environment");
        if (environmentNode != null && !environmentNode.isNull()) {
            if (!environmentNode.isTextual()) {
                throw AtelierException.invalidParameter("Invalid value for 'environment': expected azureml:<name>:<version> (register it "
                        + "first with atelier environment create)");
            }
            environment = Optional.of(environmentNode.asText());
        }
        String compute = request.optionalString("compute").map(value -> value.startsWith("azureml:") ? value.substring(8) : value)
                .orElse("local");
        return new DeploymentFields(name, request.optionalString("endpoint_name"), request.optionalString("description").orElse(""),
                modelNode.asText(), code, script, environment, compute, settings(document, Optional.empty()));
    }

    /**
     * The settings of a document (in {@code settings}, or at the top as Azure's older YAML has them), each unset one
     * taken from {@code base} (an update) or its default.
     */
    static BatchSettings settings(ObjectNode document, Optional<BatchSettings> base) {
        ObjectNode merged = document.objectNode();
        JsonNode nested = document.get("settings");
        if (nested != null && !nested.isNull()) {
            if (!nested.isObject()) {
                throw AtelierException.invalidParameter("Invalid value for 'settings': expected a mapping");
            }
            refuseUnknown((ObjectNode) nested, SETTINGS_FIELDS, "settings");
            merged.setAll((ObjectNode) nested);
        }
        for (String field : SETTINGS_FIELDS) {
            if (document.has(field)) {
                merged.set(field, document.get(field));
            }
        }
        ApiRequest settings = ApiRequest.of(merged);
        int instanceCount = base.map(BatchSettings::instanceCount).orElse(1);
        JsonNode resources = document.get("resources");
        if (resources != null && !resources.isNull()) {
            if (!resources.isObject()) {
                throw AtelierException.invalidParameter("Invalid value for 'resources': expected a mapping with instance_count");
            }
            refuseUnknown((ObjectNode) resources, Set.of("instance_count"), "resources");
            instanceCount = ApiRequest.of((ObjectNode) resources).optionalInt("instance_count").orElse(instanceCount);
        }
        range("resources.instance_count", instanceCount, 1, 64);
        int concurrency = settings.optionalInt("max_concurrency_per_instance").orElse(base.map(BatchSettings::maxConcurrencyPerInstance).orElse(1));
        range("settings.max_concurrency_per_instance", concurrency, 1, 64);
        Optional<Integer> miniBatch = settings.optionalInt("mini_batch_size").or(() -> base.flatMap(BatchSettings::miniBatchSize));
        miniBatch.ifPresent(size -> range("settings.mini_batch_size", size, 1, 1_000_000));
        int errorThreshold = settings.optionalInt("error_threshold").orElse(base.map(BatchSettings::errorThreshold).orElse(-1));
        range("settings.error_threshold", errorThreshold, -1, Integer.MAX_VALUE);
        int maxRetries = base.map(BatchSettings::maxRetries).orElse(3);
        int timeout = base.map(BatchSettings::timeoutSeconds).orElse(30);
        JsonNode retry = merged.get("retry_settings");
        if (retry != null && !retry.isNull()) {
            if (!retry.isObject()) {
                throw AtelierException.invalidParameter("Invalid value for 'settings.retry_settings': expected a mapping with max_retries and timeout");
            }
            refuseUnknown((ObjectNode) retry, Set.of("max_retries", "timeout"), "settings.retry_settings");
            ApiRequest retries = ApiRequest.of((ObjectNode) retry);
            maxRetries = retries.optionalInt("max_retries").orElse(maxRetries);
            timeout = retries.optionalInt("timeout").orElse(timeout);
        }
        range("settings.retry_settings.max_retries", maxRetries, 0, 100);
        range("settings.retry_settings.timeout", timeout, 1, 86_400);
        BatchSettings.OutputAction action = settings.optionalString("output_action").map(BatchDocuments::outputAction)
                .orElse(base.map(BatchSettings::outputAction).orElse(BatchSettings.OutputAction.APPEND_ROW));
        String fileName = settings.optionalString("output_file_name").orElse(base.map(BatchSettings::outputFileName).orElse("predictions.csv"));
        if (!FILE_NAME.matcher(fileName).matches()) {
            throw AtelierException.invalidParameter("Invalid value '" + fileName + "' for 'settings.output_file_name': a file name of "
                    + "letters, digits, dots, dashes and underscores");
        }
        String logging = settings.optionalString("logging_level").orElse(base.map(BatchSettings::loggingLevel).orElse("info"));
        if (!Set.of("debug", "info", "warning", "error", "critical").contains(logging.toLowerCase(java.util.Locale.ROOT))) {
            throw AtelierException.invalidParameter("Invalid value '" + logging + "' for 'settings.logging_level': use debug, info, "
                    + "warning, error or critical");
        }
        Map<String, String> variables = merged.has("environment_variables") ? stringMap(merged, "environment_variables")
                : base.map(BatchSettings::environmentVariables).orElse(Map.of());
        return new BatchSettings(instanceCount, concurrency, miniBatch, errorThreshold, maxRetries, timeout, action, fileName,
                logging.toLowerCase(java.util.Locale.ROOT), variables);
    }

    private static BatchSettings.OutputAction outputAction(String value) {
        return switch (value) {
            case "append_row" -> BatchSettings.OutputAction.APPEND_ROW;
            case "summary_only" -> BatchSettings.OutputAction.SUMMARY_ONLY;
            default -> throw AtelierException.invalidParameter("Invalid value '" + value + "' for 'settings.output_action': use "
                    + "append_row or summary_only");
        };
    }

    private static void range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw AtelierException.invalidParameter("Invalid value " + value + " for '" + field + "': use " + min + " to " + max);
        }
    }

    static void refuseUnknown(ObjectNode document, Set<String> known, String what) {
        document.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field) && !AZURE_IGNORED.contains(field)) {
                throw AtelierException.invalidParameter("Unknown field '" + field + "' in the " + what + " document; known fields: "
                        + new java.util.TreeSet<>(known));
            }
        });
    }

    static void requireName(String field, String value, Pattern pattern, String rule) {
        if (!pattern.matcher(value).matches()) {
            throw AtelierException.invalidParameter("Invalid value '" + value + "' for '" + field + "': " + rule);
        }
    }

    static Map<String, String> stringMap(ObjectNode document, String field) {
        JsonNode node = document.get(field);
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw AtelierException.invalidParameter("Invalid value for '" + field + "': expected a mapping of names to strings");
        }
        Map<String, String> map = new LinkedHashMap<>();
        node.properties().forEach(entry -> {
            if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                throw AtelierException.invalidParameter("Invalid value for '" + field + "." + entry.getKey() + "': expected a string");
            }
            map.put(entry.getKey(), entry.getValue().asText());
        });
        return map;
    }
}
