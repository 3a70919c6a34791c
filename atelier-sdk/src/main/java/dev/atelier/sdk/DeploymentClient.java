package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Deployments of this client's online endpoints ({@code /api/v1/endpoints/{endpoint}/deployments}): objects as
 * the server sends them. Reading needs READ, the rest WRITE. Thread-safe. Methods throw
 * {@link AtelierException} and {@link ServerUnreachableException}.
 */
public final class DeploymentClient {
    /** The states a deployment settles in; {@code Creating}, {@code Updating} and {@code Deleting} pass. */
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";
    private static final long POLL_MILLIS = 500;

    private final HttpTransport transport;
    private final Function<String, String> paths;
    private final SnapshotClient snapshots;

    DeploymentClient(HttpTransport transport, Function<String, String> paths, SnapshotClient snapshots) {
        this.transport = requireNonNull(transport, "transport is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
    }

    /**
     * Reads a deployment file, uploads its local {@code code_configuration.code} folder (reporting to {@code progress})
     * and answers the document to send, with {@code code} rewritten to {@code snapshot:<id>}.
     */
    public ObjectNode prepare(Path file, UploadProgress progress) {
        return ServingDocuments.deployment(requireNonNull(file, "file is null"), snapshots, requireNonNull(progress, "progress is null"));
    }

    /** Creates a deployment of {@code endpoint}; the answer is usually still {@code Creating} (see {@link #awaitSettled}). */
    public JsonNode create(String endpoint, ObjectNode document) {
        return transport.post(deployments(endpoint), withoutEndpoint(document));
    }

    /** The endpoint's deployments. */
    public List<JsonNode> list(String endpoint) {
        List<JsonNode> deployments = new ArrayList<>();
        transport.get(deployments(endpoint)).path("deployments").forEach(deployments::add);
        return deployments;
    }

    public JsonNode get(String endpoint, String name) {
        return transport.get(path(endpoint, name));
    }

    /**
     * Changes what {@code changes} holds ({@code instance_count}, {@code model}, {@code request_settings}, ...); the
     * server rolls the deployment over, so the answer is usually {@code Updating}.
     */
    public JsonNode update(String endpoint, String name, ObjectNode changes) {
        ObjectNode body = withoutEndpoint(changes);
        body.remove("name");
        return transport.patch(path(endpoint, name), body);
    }

    public void delete(String endpoint, String name) {
        transport.delete(path(endpoint, name));
    }

    /** The last {@code tail} lines the deployment's instances wrote, oldest first. */
    public List<String> logs(String endpoint, String name, int tail) {
        if (tail < 1) {
            throw new IllegalArgumentException("tail must be at least 1, got " + tail);
        }
        List<String> lines = new ArrayList<>();
        transport.get(path(endpoint, name) + "/logs?tail=" + tail).path("lines").forEach(line -> lines.add(line.asText()));
        return lines;
    }

    /**
     * Polls a deployment until its {@code provisioning_state} is {@value #SUCCEEDED} or {@value #FAILED}, telling
     * {@code onPoll} each answer, and returns the last one (a failed deployment is returned, not thrown); throws
     * INVALID_STATE when it has not settled after {@code timeout}.
     */
    public JsonNode awaitSettled(String endpoint, String name, Duration timeout, Consumer<JsonNode> onPoll) {
        Instant deadline = Instant.now().plus(requireNonNull(timeout, "timeout is null"));
        while (true) {
            JsonNode current = get(endpoint, name);
            onPoll.accept(current);
            if (settled(current)) {
                return current;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AtelierException(ErrorCode.INVALID_STATE, "Deployment '" + name + "' of endpoint '" + endpoint + "' is still "
                        + JsonFields.text(current, "provisioning_state") + " after " + timeout.toSeconds() + "s");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for deployment '" + name + "'", e);
            }
        }
    }

    /** Whether a deployment has reached {@value #SUCCEEDED} or {@value #FAILED}. */
    public static boolean settled(JsonNode deployment) {
        String state = JsonFields.text(deployment, "provisioning_state");
        return SUCCEEDED.equals(state) || FAILED.equals(state);
    }

    /** Why a deployment failed, as the server said it ({@code error} as text or as {@code {"message": ...}}). */
    public static String error(JsonNode deployment) {
        JsonNode error = deployment.path("error");
        if (error.isObject()) {
            return error.path("message").asText(error.toString());
        }
        return error.isMissingNode() || error.isNull() ? "no reason given" : error.asText();
    }

    /** The endpoint is in the path; an Azure-style file also names it in {@code endpoint_name}, which the body does not need. */
    private static ObjectNode withoutEndpoint(ObjectNode document) {
        ObjectNode body = requireNonNull(document, "document is null").deepCopy();
        body.remove("endpoint_name");
        return body;
    }

    private String deployments(String endpoint) {
        return paths.apply("endpoints/" + HttpTransport.encode(requireNonNull(endpoint, "endpoint is null")) + "/deployments");
    }

    private String path(String endpoint, String name) {
        return deployments(endpoint) + "/" + HttpTransport.encode(requireNonNull(name, "name is null"));
    }
}
