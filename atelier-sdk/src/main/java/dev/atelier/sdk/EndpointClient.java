package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Online endpoints of this client's workspace ({@code /api/v1/endpoints}, docs/endpoints.md): objects as the
 * server sends them. Reading needs READ; creating, changing, deleting and reading keys need WRITE. Scoring
 * ({@link #invoke}) goes to the endpoint's own URL and is checked by the endpoint's auth mode. Thread-safe.
 * Methods throw {@link dev.atelier.api.AtelierException} and {@link ServerUnreachableException}.
 */
public final class EndpointClient {
    /** The scoring paths {@link #invoke} sends to: Azure's, MLflow's, and the Open Inference Protocol's. */
    private static final Pattern SCORING_PATH = Pattern.compile("score|invocations|v2/models/[^/]+/infer");
    /** The header that sends a request to one deployment, whatever the traffic split. */
    public static final String DEPLOYMENT_HEADER = "azureml-model-deployment";

    private final HttpTransport transport;
    private final Function<String, String> paths;
    private final Function<String, String> scoringPaths;

    /**
     * @param paths        native API paths of the workspace, such as {@code endpoints} to {@code /w/x/api/v1/endpoints}
     * @param scoringPaths an endpoint name to its base path, such as {@code /w/x/endpoints/<name>}
     */
    EndpointClient(HttpTransport transport, Function<String, String> paths, Function<String, String> scoringPaths) {
        this.transport = requireNonNull(transport, "transport is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.scoringPaths = requireNonNull(scoringPaths, "scoringPaths is null");
    }

    /** Creates an endpoint from a document ({@link ServingDocuments#endpoint}, or built by hand). */
    public JsonNode create(ObjectNode document) {
        return transport.post(paths.apply("endpoints"), requireNonNull(document, "document is null"));
    }

    /** Creates an endpoint from fields; {@code authMode} is {@code key} or {@code aml_token} (the server's default when empty). */
    public JsonNode create(String name, Optional<String> authMode, Optional<String> description, Map<String, String> tags) {
        ObjectNode body = HttpTransport.mapper().createObjectNode().put("name", requireNonNull(name, "name is null"));
        authMode.ifPresent(mode -> body.put("auth_mode", mode));
        description.ifPresent(text -> body.put("description", text));
        if (!tags.isEmpty()) {
            ObjectNode tagNode = body.putObject("tags");
            tags.forEach(tagNode::put);
        }
        return create(body);
    }

    /** The workspace's endpoints, each with its deployments. */
    public List<JsonNode> list() {
        List<JsonNode> endpoints = new ArrayList<>();
        transport.get(paths.apply("endpoints")).path("endpoints").forEach(endpoints::add);
        return endpoints;
    }

    /** One endpoint with its deployments, traffic and mirror traffic. */
    public JsonNode get(String name) {
        return transport.get(path(name));
    }

    /** Changes what {@code update} holds and leaves the rest; answers the endpoint as it now is. */
    public JsonNode update(String name, EndpointUpdate update) {
        return transport.patch(path(name), requireNonNull(update, "update is null").toJson());
    }

    /** Deletes an endpoint and its deployments. */
    public void delete(String name) {
        transport.delete(path(name));
    }

    public EndpointKeys keys(String name) {
        return EndpointKeys.fromJson(transport.get(path(name) + "/keys"));
    }

    /** Replaces one key with a new random one (the other keeps working, so clients can switch over); answers both keys. */
    public EndpointKeys regenerateKey(String name, EndpointKeys.KeyType keyType) {
        ObjectNode body = HttpTransport.mapper().createObjectNode().put("key_type", requireNonNull(keyType, "keyType is null").wireName());
        return EndpointKeys.fromJson(transport.post(path(name) + "/keys/regenerate", body));
    }

    /**
     * Sends a scoring request to {@code <endpoint URL>/<path>} and returns the answer whatever its status. With
     * auth mode {@code key}, the endpoint's primary key is read through the API (which needs WRITE); otherwise the
     * client's own credentials are sent.
     *
     * @param path       {@code score}, {@code invocations} or {@code v2/models/<model>/infer}; anything else is an
     *                   {@link IllegalArgumentException}
     * @param deployment the deployment to send to, bypassing the traffic split
     */
    public ScoringResult invoke(String endpoint, String path, byte[] body, String contentType, Optional<String> deployment) {
        scoringTarget(endpoint, path);
        JsonNode found = get(endpoint);
        Credentials with = "key".equals(JsonFields.text(found, "auth_mode"))
                ? Credentials.token(keys(endpoint).primaryKey()) : transport.credentials();
        return invoke(endpoint, path, body, contentType, deployment, with);
    }

    /** {@link #invoke(String, String, byte[], String, Optional)} with credentials of the caller's choosing, such as a key. */
    public ScoringResult invoke(String endpoint, String path, byte[] body, String contentType, Optional<String> deployment,
                                Credentials with) {
        String target = scoringTarget(endpoint, path);
        Map<String, String> headers = deployment.map(name -> Map.of(DEPLOYMENT_HEADER, name)).orElse(Map.of());
        HttpResponse<byte[]> response = transport.sendRaw("POST", target, requireNonNull(body, "body is null"),
                requireNonNull(contentType, "contentType is null"), headers, requireNonNull(with, "with is null"));
        return new ScoringResult(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body(),
                "POST " + target);
    }

    /** The path a scoring request goes to; {@link IllegalArgumentException} when {@code path} is no scoring path. */
    private String scoringTarget(String endpoint, String path) {
        String relative = requireNonNull(path, "path is null").replaceFirst("^/+", "");
        if (!SCORING_PATH.matcher(relative).matches()) {
            throw new IllegalArgumentException("expected a scoring path: score, invocations or v2/models/<model>/infer, got '" + path + "'");
        }
        return scoringPaths.apply(HttpTransport.encode(requireNonNull(endpoint, "endpoint is null"))) + "/" + relative;
    }

    /**
     * Compares the inputs the endpoint logged with a reference table data asset
     * ({@code data:<name>:<version>}) and stores the report (docs/endpoints-monitoring.md).
     *
     * @param from epoch milliseconds or an ISO-8601 instant: the first logged requests compared; empty for all
     * @param to   the end of the period (exclusive); empty for now
     */
    public JsonNode requestDriftReport(String endpoint, String reference, Optional<String> from, Optional<String> to,
                                       Optional<String> deployment) {
        ObjectNode body = HttpTransport.mapper().createObjectNode().put("reference", requireNonNull(reference, "reference is null"));
        from.ifPresent(value -> body.put("from", value));
        to.ifPresent(value -> body.put("to", value));
        deployment.ifPresent(value -> body.put("deployment", value));
        return transport.post(path(endpoint) + "/drift-reports", body);
    }

    /** The endpoint's drift reports, newest first. */
    public List<JsonNode> driftReports(String endpoint) {
        List<JsonNode> reports = new ArrayList<>();
        transport.get(path(endpoint) + "/drift-reports").path("drift_reports").forEach(reports::add);
        return reports;
    }

    /** An endpoint's base URL, under which every scoring path hangs ({@code base_uri} in the endpoint's JSON). */
    public String baseUri(String endpoint) {
        return transport.baseUrl() + scoringPaths.apply(HttpTransport.encode(requireNonNull(endpoint, "endpoint is null")));
    }

    private String path(String name) {
        return paths.apply("endpoints/" + HttpTransport.encode(requireNonNull(name, "name is null")));
    }
}
