package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Batch endpoints and their deployments of this client's workspace ({@code /api/v1/batch-endpoints},
 * docs/batch-endpoints.md): objects as the server sends them. Reading needs READ; the rest, invoking included, WRITE.
 * Thread-safe. Methods throw {@link dev.atelier.api.AtelierException} and {@link ServerUnreachableException}.
 */
public final class BatchEndpointClient {
    private final HttpTransport transport;
    private final Function<String, String> paths;
    private final SnapshotClient snapshots;
    private final DataAssetClient data;

    BatchEndpointClient(HttpTransport transport, Function<String, String> paths, SnapshotClient snapshots, DataAssetClient data) {
        this.transport = requireNonNull(transport, "transport is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
        this.data = requireNonNull(data, "data is null");
    }

    /** Creates an endpoint from its document ({@code name, description, auth_mode, tags}). */
    public JsonNode create(ObjectNode document) {
        return transport.post(paths.apply("batch-endpoints"), requireNonNull(document, "document is null"));
    }

    public List<JsonNode> list() {
        List<JsonNode> endpoints = new ArrayList<>();
        transport.get(paths.apply("batch-endpoints")).path("batch_endpoints").forEach(endpoints::add);
        return endpoints;
    }

    public JsonNode get(String name) {
        return transport.get(path(name));
    }

    /** Changes what {@code changes} holds ({@code description, tags, auth_mode, defaults.deployment_name}). */
    public JsonNode update(String name, ObjectNode changes) {
        return transport.patch(path(name), requireNonNull(changes, "changes is null"));
    }

    /** Deletes the endpoint and its deployments; the jobs it started stay. */
    public void delete(String name) {
        transport.delete(path(name));
    }

    /**
     * Reads a deployment file, uploading its local {@code code_configuration.code} folder as a code snapshot (as command
     * jobs' {@code code} is), and answers the document to send.
     */
    public ObjectNode prepareDeployment(Path file, UploadProgress progress) {
        return ServingDocuments.deployment(requireNonNull(file, "file is null"), snapshots, requireNonNull(progress, "progress is null"));
    }

    /** Creates (or replaces) a deployment of {@code endpoint}; with {@code setDefault} it becomes the endpoint's default. */
    public JsonNode createDeployment(String endpoint, ObjectNode document, boolean setDefault) {
        return transport.post(path(endpoint) + "/deployments" + (setDefault ? "?set_default=true" : ""), document);
    }

    public List<JsonNode> listDeployments(String endpoint) {
        List<JsonNode> deployments = new ArrayList<>();
        transport.get(path(endpoint) + "/deployments").path("deployments").forEach(deployments::add);
        return deployments;
    }

    public JsonNode getDeployment(String endpoint, String name) {
        return transport.get(deploymentPath(endpoint, name));
    }

    /** Changes a deployment's {@code description}, {@code settings} and {@code resources}. */
    public JsonNode updateDeployment(String endpoint, String name, ObjectNode changes, boolean setDefault) {
        return transport.patch(deploymentPath(endpoint, name) + (setDefault ? "?set_default=true" : ""), changes);
    }

    public void deleteDeployment(String endpoint, String name) {
        transport.delete(deploymentPath(endpoint, name));
    }

    /**
     * Starts a batch scoring job and answers it (as {@code jobs().get} does). {@code input} is a data asset reference
     * ({@code azureml:<name>@latest}, {@code <name>:<version>}), a {@code datastore://} URI, or a local file or folder,
     * which is first uploaded as a new version of the data asset {@code <endpoint>-input}.
     */
    public JsonNode invoke(String endpoint, String input, Optional<String> deployment, Optional<String> outputName,
                           Optional<String> experimentName, DataAssetClient.Progress progress) {
        return invoke(endpoint, input, Optional.empty(), deployment, outputName, experimentName, progress);
    }

    /**
     * {@link #invoke(String, String, Optional, Optional, Optional, DataAssetClient.Progress)} with the input's type, as
     * Azure's {@code --input-type}: {@code uri_folder}, {@code uri_file}, or {@code mltable} (tabular input: a scoring
     * script gets rows). Without one, the server takes the data asset's own type, and a {@code table} asset is tabular.
     */
    public JsonNode invoke(String endpoint, String input, Optional<String> inputType, Optional<String> deployment,
                           Optional<String> outputName, Optional<String> experimentName, DataAssetClient.Progress progress) {
        requireNonNull(inputType, "inputType is null");
        String reference = requireNonNull(input, "input is null");
        Path local = Path.of(input);
        if (!input.contains(":") && !input.contains("@") && Files.exists(local)) {
            String uploadId = data.startUpload(local);
            data.upload(uploadId, local, progress);
            JsonNode created = data.create(endpoint + "-input", Files.isDirectory(local) ? "uri_folder" : "uri_file", uploadId, true,
                    Optional.of("Input of batch endpoint " + endpoint), Map.of());
            reference = created.path("reference").asText();
        }
        ObjectNode body = HttpTransport.mapper().createObjectNode();
        ObjectNode inputNode = body.putObject("input").put("path", reference);
        inputType.ifPresent(type -> inputNode.put("type", type));
        deployment.ifPresent(name -> body.put("deployment_name", name));
        outputName.ifPresent(name -> body.put("output_name", name));
        experimentName.ifPresent(name -> body.put("experiment_name", name));
        return transport.post(path(endpoint) + "/invoke", body);
    }

    /** The two keys of an endpoint with {@code auth_mode: key} (needs WRITE); either one invokes it. */
    public EndpointKeys keys(String name) {
        return EndpointKeys.fromJson(transport.get(path(name) + "/keys"));
    }

    /** Replaces one key with a new random one (the other keeps working meanwhile); answers both keys. */
    public EndpointKeys regenerateKey(String name, EndpointKeys.KeyType keyType) {
        ObjectNode body = HttpTransport.mapper().createObjectNode().put("key_type", requireNonNull(keyType, "keyType is null").wireName());
        return EndpointKeys.fromJson(transport.post(path(name) + "/keys/regenerate", body));
    }

    /** The jobs the endpoint started, newest first. */
    public List<JsonNode> listJobs(String endpoint) {
        List<JsonNode> jobs = new ArrayList<>();
        transport.get(path(endpoint) + "/jobs").path("jobs").forEach(jobs::add);
        return jobs;
    }

    private String path(String name) {
        return paths.apply("batch-endpoints/" + requireNonNull(name, "name is null"));
    }

    private String deploymentPath(String endpoint, String name) {
        return path(endpoint) + "/deployments/" + requireNonNull(name, "name is null");
    }
}
