package dev.atelier.server.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.compute.ComputeService;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.compute.WorkloadNeeds;
import dev.atelier.server.compute.Workloads;
import dev.atelier.server.environments.Environment;
import dev.atelier.server.environments.EnvironmentService;
import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Json;
import dev.atelier.server.jobs.Job;
import dev.atelier.server.jobs.JobData;
import dev.atelier.server.jobs.JobService;
import dev.atelier.server.jobs.JobSpec;
import dev.atelier.server.models.ModelRuntimes;
import dev.atelier.server.registry.ModelDescription;
import dev.atelier.server.registry.ModelVersion;
import dev.atelier.server.registry.RegistryService;
import dev.atelier.server.secrets.SecretService;
import dev.atelier.server.serving.DeploymentResolver;
import dev.atelier.server.serving.EndpointKeys;
import dev.atelier.server.snapshots.SnapshotService;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Batch endpoints and deployments (docs/batch-endpoints.md): their rules, and invoking one, which checks the whole
 * request (endpoint, deployment, input, output name) before it queues a batch scoring job. Thread-safe.
 */
public final class BatchService {
    private static final Pattern OUTPUT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
    private static final Set<String> INVOKE_FIELDS = Set.of("input", "deployment_name", "output_name", "experiment_name", "name");
    private static final int MAX_JOBS = 200;

    private final BatchStore store;
    private final DeploymentResolver models;
    private final RegistryService registry;
    private final ModelRuntimes runtimes;
    private final SnapshotService snapshots;
    private final EnvironmentService environments;
    private final ComputeService computes;
    private final Workloads workloads;
    private final JobService jobs;
    private final JobData data;
    private final SecretService secrets;
    private final Clock clock;

    BatchService(BatchStore store, DeploymentResolver models, RegistryService registry, ModelRuntimes runtimes, SnapshotService snapshots,
                 EnvironmentService environments, ComputeService computes, Workloads workloads, JobService jobs, JobData data, SecretService secrets,
                 Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.models = requireNonNull(models, "models is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.runtimes = requireNonNull(runtimes, "runtimes is null");
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
        this.environments = requireNonNull(environments, "environments is null");
        this.computes = requireNonNull(computes, "computes is null");
        this.workloads = requireNonNull(workloads, "workloads is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.data = requireNonNull(data, "data is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public BatchEndpoint createEndpoint(String workspace, ObjectNode document, String user) {
        BatchDocuments.EndpointFields fields = BatchDocuments.endpoint(document);
        if (fields.defaultDeployment().isPresent()) {
            throw AtelierException.invalidParameter("Invalid 'defaults.deployment_name': a new endpoint has no deployments; create one "
                    + "with --set-default");
        }
        long now = clock.millis();
        BatchEndpoint endpoint = new BatchEndpoint(workspace, fields.name(), fields.description(), fields.authMode(), Optional.empty(),
                fields.tags(), user, now, now);
        if (!store.createEndpoint(endpoint)) {
            throw AtelierException.alreadyExists("Batch endpoint '" + fields.name() + "' already exists in workspace '" + workspace + "'");
        }
        if (endpoint.keyAuth()) {
            deleteKeys(workspace, endpoint.name());  // keys left behind by an earlier endpoint of this name
            EndpointKeys.store(secrets, workspace, keysSecret(endpoint.name()), "Keys of batch endpoint " + endpoint.name(),
                    EndpointKeys.generate(), user, true);
        }
        return endpoint;
    }

    public List<BatchEndpoint> listEndpoints(String workspace) {
        return store.listEndpoints(workspace);
    }

    public BatchEndpoint getEndpoint(String workspace, String name) {
        return store.getEndpoint(workspace, name).orElseThrow(() -> AtelierException.notFound("Batch endpoint '" + name
                + "' does not exist in workspace '" + workspace + "'"));
    }

    /** The endpoint, if it exists. */
    public Optional<BatchEndpoint> findEndpoint(String workspace, String name) {
        return store.getEndpoint(workspace, name);
    }

    /** Changes description, tags, auth_mode and defaults.deployment_name (which must name one of its deployments). */
    public BatchEndpoint updateEndpoint(String workspace, String name, ObjectNode patch, String user) {
        BatchEndpoint current = getEndpoint(workspace, name);
        BatchDocuments.refuseUnknown(patch, Set.of("name", "description", "auth_mode", "defaults", "tags"), "batch endpoint update");
        if (patch.hasNonNull("name") && !patch.get("name").asText().equals(name)) {
            throw AtelierException.invalidParameter("Invalid value '" + patch.get("name").asText() + "' for 'name': an endpoint is not renamed");
        }
        ApiRequest request = ApiRequest.of(patch);
        Optional<String> defaultDeployment = patch.has("defaults") ? BatchDocuments.defaultDeployment(patch) : current.defaultDeployment();
        defaultDeployment.ifPresent(deployment -> getDeployment(workspace, name, deployment));
        BatchEndpoint updated = new BatchEndpoint(workspace, name, request.optionalString("description").orElse(current.description()),
                patch.has("auth_mode") ? BatchDocuments.authMode(request.optionalString("auth_mode")) : current.authMode(), defaultDeployment,
                patch.has("tags") ? BatchDocuments.stringMap(patch, "tags") : current.tags(), current.createdBy(), current.createdAt(),
                clock.millis());
        if (!store.updateEndpoint(updated)) {
            throw AtelierException.notFound("Batch endpoint '" + name + "' does not exist in workspace '" + workspace + "'");
        }
        if (updated.keyAuth() && EndpointKeys.loadSecret(secrets, workspace, keysSecret(name)).isEmpty()) {
            EndpointKeys.store(secrets, workspace, keysSecret(name), "Keys of batch endpoint " + name, EndpointKeys.generate(), user, true);
        } else if (!updated.keyAuth()) {
            deleteKeys(workspace, name);
        }
        return updated;
    }

    /** Deletes the endpoint and its deployments; the jobs it started stay, with their outputs. */
    public void deleteEndpoint(String workspace, String name) {
        if (!store.deleteEndpoint(workspace, name)) {
            throw AtelierException.notFound("Batch endpoint '" + name + "' does not exist in workspace '" + workspace + "'");
        }
        deleteKeys(workspace, name);
    }

    /** The keys of a key-auth endpoint (online endpoints' {@link EndpointKeys}, kept as the secret {@code batch-endpoint-<name>-keys}). */
    public EndpointKeys keys(String workspace, String name) {
        requireKeyAuth(getEndpoint(workspace, name));
        return EndpointKeys.loadSecret(secrets, workspace, keysSecret(name)).orElseThrow(() -> AtelierException.invalidState("The keys "
                + "of batch endpoint '" + name + "' are missing (secret " + keysSecret(name) + " was deleted); regenerate them"));
    }

    /** Replaces the primary or secondary key ({@code keyType}) of a key-auth endpoint; the other keeps working. */
    public EndpointKeys regenerateKey(String workspace, String name, String keyType, String user) {
        requireKeyAuth(getEndpoint(workspace, name));
        Optional<EndpointKeys> current = EndpointKeys.loadSecret(secrets, workspace, keysSecret(name));
        EndpointKeys keys = current.orElseGet(EndpointKeys::generate).regenerate(keyType);
        EndpointKeys.store(secrets, workspace, keysSecret(name), "Keys of batch endpoint " + name, keys, user, current.isEmpty());
        return keys;
    }

    /**
     * The endpoint when {@code key} is one of its keys and it takes keys ({@code auth_mode: key}); empty otherwise, also
     * when it does not exist (so a key alone tells a caller nothing about which endpoints exist).
     */
    public Optional<BatchEndpoint> acceptingKey(String workspace, String name, String key) {
        return store.getEndpoint(workspace, name).filter(BatchEndpoint::keyAuth).filter(endpoint -> EndpointKeys.loadSecret(secrets,
                workspace, keysSecret(name)).map(keys -> keys.accepts(key)).orElse(false));
    }

    private static void requireKeyAuth(BatchEndpoint endpoint) {
        if (!endpoint.keyAuth()) {
            throw AtelierException.invalidParameter("Batch endpoint '" + endpoint.name() + "' has auth_mode " + endpoint.authMode()
                    + "; only an endpoint with auth_mode key has keys");
        }
    }

    private static String keysSecret(String endpoint) {
        return "batch-endpoint-" + endpoint + "-keys";
    }

    private void deleteKeys(String workspace, String endpoint) {
        try {
            secrets.delete(workspace, keysSecret(endpoint));
        } catch (AtelierException gone) {
            // There were no keys (a token-auth endpoint), or someone deleted them already.
        }
    }

    /**
     * Checks and stores a deployment (a new one, or one replacing the deployment of the same name): its model pinned to a
     * version, its code snapshot, environment and compute found. The endpoint's first deployment becomes its default, as
     * does any created with {@code setDefault}.
     */
    public BatchDeployment createDeployment(String workspace, String endpointName, ObjectNode document, boolean setDefault) {
        BatchEndpoint endpoint = getEndpoint(workspace, endpointName);
        BatchDocuments.DeploymentFields fields = BatchDocuments.deployment(document);
        if (fields.endpointName().isPresent() && !fields.endpointName().get().equals(endpointName)) {
            throw AtelierException.invalidParameter("Invalid value '" + fields.endpointName().get() + "' for 'endpoint_name': the "
                    + "request is for endpoint '" + endpointName + "'");
        }
        ModelVersion model = models.resolveModel(workspace, fields.model());
        ComputeTarget compute = computes.get(workspace, fields.compute());
        fields.code().ifPresent(id -> snapshots.get(workspace, id));
        Optional<Environment> environment = fields.environment().map(reference -> environments.resolve(workspace, "environment", reference));
        if (environment.isPresent() && fields.scoringScript().isEmpty()) {
            throw AtelierException.invalidParameter("'environment' is for scoring scripts; add code_configuration or remove environment");
        }
        // Without a scoring script the model is scored in the server's JVM, which only a target on the server's host does.
        workloads.check(compute, WorkloadNeeds.service(environment, fields.scoringScript().isPresent() ? Optional.empty()
                : Optional.of("a batch deployment without code_configuration (a scoring script)")));
        if (fields.scoringScript().isEmpty()) {
            requireJavaNativeFlavor(workspace, model);
        }
        long now = clock.millis();
        long createdAt = store.getDeployment(workspace, endpointName, fields.name()).map(BatchDeployment::createdAt).orElse(now);
        BatchDeployment deployment = new BatchDeployment(workspace, endpointName, fields.name(), fields.description(), model.name(),
                model.version(), fields.code(), fields.scoringScript(), environment.map(Environment::reference), compute.name(),
                fields.settings(), createdAt, now);
        store.putDeployment(deployment, setDefault || endpoint.defaultDeployment().isEmpty());
        return deployment;
    }

    private void requireJavaNativeFlavor(String workspace, ModelVersion version) {
        Optional<ModelDescription> description = registry.describe(registry.files(workspace, version));
        boolean loadable = description.map(d -> d.flavors().keySet().stream().anyMatch(runtimes.flavors()::contains)).orElse(false);
        if (!loadable) {
            throw AtelierException.invalidParameter("Model '" + version.name() + "' version " + version.version() + " has "
                    + description.map(d -> "the flavors " + d.flavors().keySet()).orElse("no MLmodel file")
                    + "; a batch deployment without a scoring script needs one Atelier runs in the JVM " + runtimes.flavors()
                    + " (add code_configuration with a scoring script)");
        }
    }

    public List<BatchDeployment> listDeployments(String workspace, String endpoint) {
        getEndpoint(workspace, endpoint);
        return store.listDeployments(workspace, endpoint);
    }

    public BatchDeployment getDeployment(String workspace, String endpoint, String name) {
        getEndpoint(workspace, endpoint);
        return store.getDeployment(workspace, endpoint, name).orElseThrow(() -> AtelierException.notFound("Batch deployment '" + name
                + "' does not exist in batch endpoint '" + endpoint + "'"));
    }

    /** Changes a deployment's description, settings and resources; jobs already started keep the settings they began with. */
    public BatchDeployment updateDeployment(String workspace, String endpoint, String name, ObjectNode patch, boolean setDefault) {
        BatchDeployment current = getDeployment(workspace, endpoint, name);
        BatchDocuments.refuseUnknown(patch, Set.of("name", "endpoint_name", "description", "settings", "resources", "tags"),
                "batch deployment update (change model, code or compute with create)");
        BatchSettings settings = BatchDocuments.settings(patch, Optional.of(current.settings()));
        BatchDeployment updated = new BatchDeployment(workspace, endpoint, name, ApiRequest.of(patch).optionalString("description")
                .orElse(current.description()), current.modelName(), current.modelVersion(), current.code(), current.scoringScript(),
                current.environment(), current.compute(), settings, current.createdAt(), clock.millis());
        store.putDeployment(updated, setDefault);
        return updated;
    }

    public void deleteDeployment(String workspace, String endpoint, String name) {
        getEndpoint(workspace, endpoint);
        if (!store.deleteDeployment(workspace, endpoint, name)) {
            throw AtelierException.notFound("Batch deployment '" + name + "' does not exist in batch endpoint '" + endpoint + "'");
        }
    }

    /**
     * Starts a batch scoring job: the deployment named (or the endpoint's default), the input resolved now (a data asset
     * version pinned), the output name checked; 4xx naming the field before anything is queued.
     */
    public Job invoke(String workspace, String endpointName, ObjectNode request, String user) {
        BatchEndpoint endpoint = getEndpoint(workspace, endpointName);
        BatchDocuments.refuseUnknown(request, INVOKE_FIELDS, "invoke request");
        ApiRequest fields = ApiRequest.of(request);
        String deploymentName = fields.optionalString("deployment_name").or(endpoint::defaultDeployment).orElseThrow(() ->
                AtelierException.invalidParameter("Batch endpoint '" + endpointName + "' has no default deployment: name one in "
                        + "'deployment_name' or set one (batch-deployment create --set-default)"));
        BatchDeployment deployment = getDeployment(workspace, endpointName, deploymentName);
        JsonNode input = request.get("input");
        if (input == null || !input.isObject() || !input.path("path").isTextual() || input.path("path").asText().isBlank()) {
            throw AtelierException.invalidParameter("Missing value for required field 'input.path' (a data asset reference "
                    + "azureml:<name>@latest or <name>:<version>, or datastore://<datastore>/<path>)");
        }
        BatchDocuments.refuseUnknown((ObjectNode) input, Set.of("type", "path", "mode"), "input");
        Optional<String> declared = switch (input.path("type").asText("")) {
            case "" -> Optional.empty();
            case "mltable", "table" -> Optional.empty();
            case "uri_folder" -> Optional.of("uri_folder");
            case "uri_file" -> Optional.of("uri_file");
            default -> throw AtelierException.invalidParameter("Invalid value '" + input.path("type").asText() + "' for 'input.type': "
                    + "use uri_folder, uri_file or mltable");
        };
        String path = input.get("path").asText();
        if (path.startsWith("azureml:")) {
            path = path.substring("azureml:".length());
        }
        JobData.Resolved resolved = data.resolve(workspace, "input.path", path, declared);
        String outputName = fields.optionalString("output_name").orElse(endpointName + "-predictions");
        if (!OUTPUT_NAME.matcher(outputName).matches()) {
            throw AtelierException.invalidParameter("Invalid value '" + outputName + "' for 'output_name': letters, digits, dots, "
                    + "dashes and underscores");
        }
        data.checkOutput(workspace, "output_name", new JobData.OutputAsset(outputName, java.util.OptionalInt.empty()));
        ObjectNode document = Json.mapper().createObjectNode();
        document.put("type", "batch_scoring");
        document.put("endpoint", endpointName);
        document.set("deployment", BatchJson.deployment(deployment));
        document.putObject("input").put("path", resolved.path()).put("type", resolved.type());
        document.put("output_name", outputName);
        // Azure's tabular input (mltable, or a table data asset): a scoring script gets rows, not file paths.
        String type = input.path("type").asText("");
        document.put("tabular", type.equals("mltable") || type.equals("table") || type.isEmpty() && data.isTable(workspace, resolved));
        String experiment = fields.optionalString("experiment_name").orElse(endpointName);
        Job job = jobs.submitBatchScoring(workspace, user, new JobSpec.BatchScoring(fields.optionalString("name"), Optional.empty(),
                experiment, "Batch scoring through endpoint " + endpointName + ", deployment " + deploymentName,
                java.util.Map.of("atelier.batch.endpoint", endpointName, "atelier.batch.deployment", deploymentName,
                        "atelier.batch.model", deployment.modelName() + "/" + deployment.modelVersion()), deployment.compute()), document);
        store.addJob(workspace, job.name(), endpointName, deploymentName, clock.millis());
        return job;
    }

    /** The jobs the endpoint started, newest first (those deleted since are left out). */
    public List<Job> jobs(String workspace, String endpoint) {
        getEndpoint(workspace, endpoint);
        return store.jobsOf(workspace, endpoint, MAX_JOBS).stream().flatMap(name -> {
            try {
                return java.util.stream.Stream.of(jobs.get(workspace, name));
            } catch (AtelierException e) {
                return java.util.stream.Stream.empty();
            }
        }).toList();
    }
}
