package dev.atelier.server.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.ApiRequest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads endpoint and deployment documents (JSON, or YAML close to Azure ML's online endpoint and
 * deployment YAML) into what the service validates further. Fields Azure has and Atelier has no use
 * for are accepted and ignored; any other field is refused, so a misspelling is not ignored silently.
 */
final class EndpointDocuments {
    static final Pattern ENDPOINT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{1,30}[A-Za-z0-9]");
    static final Pattern DEPLOYMENT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,31}");
    private static final Set<String> AZURE_IGNORED = Set.of("$schema", "type", "properties", "identity", "kind", "public_network_access",
            "instance_type", "app_insights_enabled", "liveness_probe", "readiness_probe", "scale_settings", "egress_public_network_access");
    private static final Set<String> ENDPOINT_FIELDS = Set.of("name", "description", "auth_mode", "tags", "traffic", "mirror_traffic");
    private static final Set<String> DEPLOYMENT_FIELDS = Set.of("name", "endpoint_name", "description", "tags", "model", "code_configuration",
            "environment", "compute", "instance_count", "request_settings", "environment_variables", "data_collector");

    private EndpointDocuments() {
    }

    /** An endpoint document before it is stored. */
    record EndpointFields(String name, String description, AuthMode authMode, Map<String, String> tags, Map<String, Integer> traffic,
                          Map<String, Integer> mirrorTraffic) {
    }

    /**
     * A deployment document's fields as written; {@code model} and {@code environment} are resolved by the service.
     *
     * @param code a {@code snapshot:<id>} reference's id
     */
    record DeploymentFields(String name, Optional<String> endpointName, String description, String model, Optional<String> code,
                            Optional<String> scoringScript, Optional<String> environment, String compute, int instanceCount,
                            DeploymentSpec.RequestSettings requestSettings, Map<String, String> environmentVariables,
                            DeploymentSpec.DataCollector dataCollector) {
    }

    static EndpointFields endpoint(ObjectNode document) {
        refuseUnknown(document, ENDPOINT_FIELDS, "endpoint");
        ApiRequest request = ApiRequest.of(document);
        String name = request.requiredString("name");
        requireName("name", name, ENDPOINT_NAME, "3 to 32 letters, digits and dashes, starting with a letter");
        return new EndpointFields(name, request.optionalString("description").orElse(""),
                AuthMode.parse(request.optionalString("auth_mode").orElse("key")), stringMap(document, "tags"),
                weights(document, "traffic"), weights(document, "mirror_traffic"));
    }

    static DeploymentFields deployment(ObjectNode document) {
        refuseUnknown(document, DEPLOYMENT_FIELDS, "deployment");
        ApiRequest request = ApiRequest.of(document);
        String name = request.requiredString("name");
        requireName("name", name, DEPLOYMENT_NAME, "1 to 32 letters, digits and dashes, starting with a letter");
        Optional<String> code = Optional.empty();
        Optional<String> script = Optional.empty();
        Optional<ApiRequest> codeConfiguration = request.optionalObject("code_configuration");
        if (codeConfiguration.isPresent()) {
            String reference = codeConfiguration.get().requiredString("code");
            var matcher = SNAPSHOT.matcher(reference);
            if (!matcher.matches()) {
                throw AtelierException.invalidParameter("Invalid value '" + reference + "' for 'code_configuration.code': expected "
                        + "snapshot:<sha256>; 'atelier deployment create -f' (or the SDK) uploads a local folder as a snapshot first");
            }
            code = Optional.of(matcher.group(1));
            script = Optional.of(codeConfiguration.get().requiredString("scoring_script"));
        }
        int instances = request.optionalInt("instance_count").orElse(1);
        if (instances < 1 || instances > 64) {
            throw AtelierException.invalidParameter("Invalid value " + instances + " for 'instance_count': use 1 to 64");
        }
        return new DeploymentFields(name, request.optionalString("endpoint_name"), request.optionalString("description").orElse(""),
                request.requiredString("model"), code, script, request.optionalString("environment"),
                request.optionalString("compute").map(EndpointDocuments::withoutAzurePrefix).orElse("local"), instances,
                requestSettings(request.optionalObject("request_settings")), stringMap(document, "environment_variables"),
                dataCollector(document.get("data_collector")));
    }

    private static final Pattern SNAPSHOT = Pattern.compile("snapshot:([0-9a-f]{64})");

    private static DeploymentSpec.RequestSettings requestSettings(Optional<ApiRequest> settings) {
        DeploymentSpec.RequestSettings defaults = DeploymentSpec.RequestSettings.DEFAULTS;
        if (settings.isEmpty()) {
            return defaults;
        }
        ApiRequest request = settings.get();
        int concurrent = request.optionalInt("max_concurrent_requests_per_instance").orElse(defaults.maxConcurrentRequestsPerInstance());
        int timeout = request.optionalInt("request_timeout_ms").orElse(defaults.requestTimeoutMs());
        long payload = request.optionalLong("max_payload_bytes").orElse(defaults.maxPayloadBytes());
        if (concurrent < 1 || concurrent > 1024) {
            throw AtelierException.invalidParameter("Invalid value " + concurrent
                    + " for 'request_settings.max_concurrent_requests_per_instance': use 1 to 1024");
        }
        if (timeout < 1 || timeout > 600_000) {
            throw AtelierException.invalidParameter("Invalid value " + timeout + " for 'request_settings.request_timeout_ms': use 1 to 600000");
        }
        if (payload < 1 || payload > 1L << 30) {
            throw AtelierException.invalidParameter("Invalid value " + payload + " for 'request_settings.max_payload_bytes': use 1 to 1 GiB");
        }
        return new DeploymentSpec.RequestSettings(concurrent, timeout, payload);
    }

    /** Atelier's {@code {enabled, sampling_rate}}, or Azure's {@code {collections: {model_inputs: {enabled}}, sampling_rate}}. */
    private static DeploymentSpec.DataCollector dataCollector(JsonNode node) {
        if (node == null || node.isNull()) {
            return DeploymentSpec.DataCollector.OFF;
        }
        if (!node.isObject()) {
            throw AtelierException.invalidParameter("Invalid value for 'data_collector': expected an object with enabled and sampling_rate");
        }
        JsonNode enabledNode = node.has("collections") ? node.path("collections").path("model_inputs").path("enabled") : node.path("enabled");
        boolean enabled = enabledNode.isBoolean() ? enabledNode.booleanValue() : "true".equalsIgnoreCase(enabledNode.asText("true"));
        double rate = node.path("sampling_rate").asDouble(1.0);
        if (!(rate > 0 && rate <= 1)) {
            throw AtelierException.invalidParameter("Invalid value '" + node.path("sampling_rate") + "' for 'data_collector.sampling_rate': "
                    + "use a number in (0, 1]");
        }
        return new DeploymentSpec.DataCollector(enabled, rate);
    }

    /** Deployment name → percentage; each 0 to 100. */
    static Map<String, Integer> weights(JsonNode document, String field) {
        JsonNode node = document.get(field);
        Map<String, Integer> weights = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return weights;
        }
        if (!node.isObject()) {
            throw AtelierException.invalidParameter("Invalid value for '" + field + "': expected an object of deployment name to percentage, "
                    + "such as {\"blue\": 90, \"green\": 10}");
        }
        for (var entry : node.properties()) {
            JsonNode value = entry.getValue();
            if (!value.canConvertToInt() || !value.isIntegralNumber() && !value.isTextual() || value.asInt(-1) < 0 || value.asInt() > 100) {
                throw AtelierException.invalidParameter("Invalid value '" + value.asText() + "' for '" + field + "." + entry.getKey()
                        + "': use a whole percentage from 0 to 100");
            }
            weights.put(entry.getKey(), value.asInt());
        }
        return weights;
    }

    static Map<String, String> stringMap(JsonNode document, String field) {
        JsonNode node = document.get(field);
        Map<String, String> values = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isObject()) {
            throw AtelierException.invalidParameter("Invalid value for '" + field + "': expected an object of names to values");
        }
        node.properties().forEach(entry -> {
            if (entry.getValue().isContainerNode()) {
                throw AtelierException.invalidParameter("Invalid value for '" + field + "." + entry.getKey() + "': expected a string");
            }
            values.put(entry.getKey(), entry.getValue().asText());
        });
        return values;
    }

    static String withoutAzurePrefix(String reference) {
        return reference.startsWith("azureml:") ? reference.substring("azureml:".length()) : reference;
    }

    static void requireName(String field, String name, Pattern pattern, String rule) {
        if (!pattern.matcher(name).matches()) {
            throw AtelierException.invalidParameter("Invalid value '" + name + "' for '" + field + "': use " + rule);
        }
    }

    private static void refuseUnknown(ObjectNode document, Set<String> known, String what) {
        Set<String> unknown = new TreeSet<>();
        document.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field) && !AZURE_IGNORED.contains(field)) {
                unknown.add(field);
            }
        });
        if (!unknown.isEmpty()) {
            throw AtelierException.invalidParameter("Unknown field" + (unknown.size() > 1 ? "s " : " ") + unknown + " in the " + what
                    + " document; known fields: " + new TreeSet<>(known));
        }
    }
}
