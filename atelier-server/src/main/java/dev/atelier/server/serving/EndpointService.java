package dev.atelier.server.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.secrets.SecretService;
import dev.atelier.server.workspace.WorkspaceParticipant;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static java.util.Objects.requireNonNull;

/**
 * Online endpoints and deployments: their rules (names, traffic that sums to 100 over existing
 * deployments, mirror traffic, keys) and validation of deployment documents. Starting and serving
 * deployments is {@link DeploymentHost}'s work; this service tells it what changed.
 */
public final class EndpointService implements WorkspaceParticipant {
    /** How many times an update re-reads a deployment that concurrent updates moved on before answering 409. */
    private static final int UPDATE_ATTEMPTS = 5;
    private final EndpointStore store;
    private final DeploymentResolver resolver;
    private final SecretService secrets;
    private final Clock clock;
    private final List<ServingListener> listeners = new CopyOnWriteArrayList<>();

    public EndpointService(EndpointStore store, DeploymentResolver resolver, SecretService secrets, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.resolver = requireNonNull(resolver, "resolver is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public void addListener(ServingListener listener) {
        listeners.add(listener);
    }

    public Endpoint createEndpoint(String workspace, ObjectNode document, String principal) {
        EndpointDocuments.EndpointFields fields = EndpointDocuments.endpoint(document);
        if (fields.traffic().values().stream().anyMatch(weight -> weight > 0) || !fields.mirrorTraffic().isEmpty()) {
            throw AtelierException.invalidParameter("A new endpoint has no deployments to send traffic to; set 'traffic' after "
                    + "creating deployments (its first deployment takes all traffic until then)");
        }
        long now = clock.millis();
        Endpoint endpoint = new Endpoint(fields.name(), fields.description(), fields.authMode(), Map.of(), Map.of(), fields.tags(),
                principal, now, now);
        if (!store.createEndpoint(workspace, endpoint)) {
            throw AtelierException.alreadyExists("Online endpoint '" + fields.name() + "' already exists in workspace '" + workspace + "'");
        }
        if (endpoint.authMode() == AuthMode.KEY) {
            try {
                secrets.delete(workspace, EndpointKeys.secretName(endpoint.name()));
            } catch (AtelierException gone) {
                // No keys were left behind by an earlier endpoint of this name.
            }
            EndpointKeys.store(secrets, workspace, endpoint.name(), EndpointKeys.generate(), principal, true);
        }
        notify(workspace, endpoint.name());
        return endpoint;
    }

    public Endpoint getEndpoint(String workspace, String name) {
        return store.getEndpoint(workspace, name).orElseThrow(() -> AtelierException.notFound("Online endpoint '" + name
                + "' does not exist in workspace '" + workspace + "'"));
    }

    public List<Endpoint> listEndpoints(String workspace) {
        return store.listEndpoints(workspace);
    }

    /** Changes description, tags, traffic and mirror traffic; fields absent from {@code patch} stay as they are. */
    public Endpoint updateEndpoint(String workspace, String name, JsonNode patch) {
        Endpoint endpoint = getEndpoint(workspace, name);
        Map<String, Integer> traffic = patch.has("traffic") ? EndpointDocuments.weights(patch, "traffic") : endpoint.traffic();
        Map<String, Integer> mirror = patch.has("mirror_traffic") ? EndpointDocuments.weights(patch, "mirror_traffic") : endpoint.mirrorTraffic();
        TrafficRules.check(traffic, mirror, store.listDeployments(workspace, name).stream().map(Deployment::name).toList());
        String description = patch.has("description") ? patch.path("description").asText() : endpoint.description();
        Map<String, String> tags = patch.has("tags") ? EndpointDocuments.stringMap(patch, "tags") : endpoint.tags();
        long now = clock.millis();
        Endpoint updated = endpoint.withTraffic(traffic, mirror, now).withDescription(description, tags, now);
        store.updateEndpoint(workspace, updated);
        notify(workspace, name);
        return updated;
    }

    public void deleteEndpoint(String workspace, String name) {
        Endpoint endpoint = getEndpoint(workspace, name);
        List<Deployment> deployments = store.listDeployments(workspace, name);
        store.deleteEndpoint(workspace, name);
        if (endpoint.authMode() == AuthMode.KEY) {
            try {
                secrets.delete(workspace, EndpointKeys.secretName(name));
            } catch (AtelierException gone) {
                // Someone deleted the keys' secret already; nothing is left to remove.
            }
        }
        notify(workspace, name);
        deployments.forEach(deployment -> listeners.forEach(listener -> listener.deploymentRemoved(workspace, name, deployment)));
        listeners.forEach(listener -> listener.endpointRemoved(workspace, name));
    }

    /** The keys of a key-auth endpoint. */
    public EndpointKeys keys(String workspace, String name) {
        requireKeyAuth(getEndpoint(workspace, name));
        return EndpointKeys.load(secrets, workspace, name).orElseThrow(() -> AtelierException.invalidState("The keys of endpoint '"
                + name + "' are missing (secret " + EndpointKeys.secretName(name) + " was deleted); regenerate them"));
    }

    /** The keys as stored, for the router; empty when their secret is gone. */
    Optional<EndpointKeys> loadKeys(String workspace, String name) {
        return EndpointKeys.load(secrets, workspace, name);
    }

    /** Replaces one key; the endpoint's {@code updated_at} moves, so every server replica reloads its keys. */
    public EndpointKeys regenerateKey(String workspace, String name, String keyType, String principal) {
        Endpoint endpoint = getEndpoint(workspace, name);
        requireKeyAuth(endpoint);
        Optional<EndpointKeys> current = EndpointKeys.load(secrets, workspace, name);
        EndpointKeys keys = current.orElseGet(EndpointKeys::generate).regenerate(keyType);
        EndpointKeys.store(secrets, workspace, name, keys, principal, current.isEmpty());
        store.updateEndpoint(workspace, endpoint.withTraffic(endpoint.traffic(), endpoint.mirrorTraffic(),
                Math.max(clock.millis(), endpoint.updatedAt() + 1)));
        notify(workspace, name);
        return keys;
    }

    public Deployment createDeployment(String workspace, String endpoint, ObjectNode document) {
        getEndpoint(workspace, endpoint);
        EndpointDocuments.DeploymentFields fields = EndpointDocuments.deployment(document);
        requireEndpointName(endpoint, fields);
        DeploymentSpec spec = resolver.resolve(workspace, fields, Optional.empty());
        long now = clock.millis();
        Deployment deployment = store.createDeployment(workspace, new Deployment(endpoint, fields.name(), spec, 0,
                ProvisioningState.CREATING, Optional.empty(), now, now)).orElseThrow(() -> AtelierException.alreadyExists("Deployment '"
                + fields.name() + "' already exists in endpoint '" + endpoint + "'; update it with PATCH (or 'atelier deployment update')"));
        notify(workspace, endpoint);
        return deployment;
    }

    public Deployment getDeployment(String workspace, String endpoint, String name) {
        getEndpoint(workspace, endpoint);
        return store.getDeployment(workspace, endpoint, name).orElseThrow(() -> AtelierException.notFound("Deployment '" + name
                + "' does not exist in endpoint '" + endpoint + "'"));
    }

    public List<Deployment> listDeployments(String workspace, String endpoint) {
        getEndpoint(workspace, endpoint);
        return store.listDeployments(workspace, endpoint);
    }

    /**
     * Applies {@code patch} (any deployment document fields but {@code name}) as a new generation that
     * the host rolls over to; the model stays pinned to its version unless {@code model} is given.
     */
    public Deployment updateDeployment(String workspace, String endpoint, String name, ObjectNode patch) {
        if (patch.has("name") && !name.equals(patch.path("name").asText())) {
            throw AtelierException.invalidParameter("Invalid value '" + patch.path("name").asText() + "' for 'name': a deployment "
                    + "cannot be renamed; create a new one");
        }
        // Compare-and-set on the generation: a concurrent update of the same generation makes this one read the newer
        // deployment and apply the patch to it again, so that no two specs ever share a generation.
        for (int attempt = 1; ; attempt++) {
            Deployment current = getDeployment(workspace, endpoint, name);
            ObjectNode merged = DeploymentPatch.merge(current, patch);
            EndpointDocuments.DeploymentFields fields = EndpointDocuments.deployment(merged);
            requireEndpointName(endpoint, fields);
            Optional<dev.atelier.server.registry.ModelVersion> pinned = patch.has("model") ? Optional.empty()
                    : Optional.of(resolver.resolveModel(workspace, "models:/" + current.spec().modelName() + "/" + current.spec().modelVersion()));
            DeploymentSpec spec = resolver.resolve(workspace, fields, pinned);
            Optional<Deployment> stored = store.updateDeployment(workspace, new Deployment(endpoint, name, spec, current.generation(),
                    ProvisioningState.UPDATING, Optional.empty(), current.createdAt(), clock.millis()), current.generation());
            if (stored.isPresent()) {
                return afterUpdate(workspace, endpoint, current, stored.get());
            }
            if (attempt == UPDATE_ATTEMPTS) {
                throw new AtelierException(ErrorCode.RESOURCE_CONFLICT, "Deployment '" + name + "' of endpoint '" + endpoint
                        + "' was updated concurrently " + UPDATE_ATTEMPTS + " times while this update was applied; try again");
            }
        }
    }

    private Deployment afterUpdate(String workspace, String endpoint, Deployment current, Deployment updated) {
        notify(workspace, endpoint);
        if (!current.spec().compute().equals(updated.spec().compute())) {
            listeners.forEach(listener -> listener.deploymentRemoved(workspace, endpoint, current));
        }
        return updated;
    }

    /** Deletes a deployment that takes no live or mirrored traffic (set its traffic to 0 first). */
    public void deleteDeployment(String workspace, String endpoint, String name) {
        Endpoint owner = getEndpoint(workspace, endpoint);
        Deployment deployment = getDeployment(workspace, endpoint, name);
        if (owner.traffic().getOrDefault(name, 0) > 0 || owner.mirrorTraffic().getOrDefault(name, 0) > 0) {
            throw AtelierException.invalidState("Deployment '" + name + "' still takes " + (owner.traffic().getOrDefault(name, 0) > 0
                    ? owner.traffic().get(name) + "% of the traffic" : owner.mirrorTraffic().get(name) + "% mirrored traffic")
                    + " of endpoint '" + endpoint + "'; set it to 0 first (atelier endpoint update " + endpoint + " --traffic ...)");
        }
        store.deleteDeployment(workspace, endpoint, name);
        Map<String, Integer> traffic = new java.util.HashMap<>(owner.traffic());
        Map<String, Integer> mirror = new java.util.HashMap<>(owner.mirrorTraffic());
        if (traffic.remove(name) != null | mirror.remove(name) != null) {
            store.updateEndpoint(workspace, owner.withTraffic(traffic, mirror, clock.millis()));
        }
        notify(workspace, endpoint);
        listeners.forEach(listener -> listener.deploymentRemoved(workspace, endpoint, deployment));
    }

    /** Records how starting a generation ended, unless a newer generation replaced it meanwhile. */
    void recordState(String workspace, String endpoint, String name, long generation, ProvisioningState state, Optional<String> error) {
        store.recordState(workspace, endpoint, name, generation, state, error, clock.millis());
    }

    List<EndpointStore.ServedEndpoint> served() {
        return store.listServed();
    }

    private static void requireEndpointName(String endpoint, EndpointDocuments.DeploymentFields fields) {
        if (fields.endpointName().isPresent() && !fields.endpointName().get().equals(endpoint)) {
            throw AtelierException.invalidParameter("Invalid value '" + fields.endpointName().get() + "' for 'endpoint_name': this "
                    + "deployment is being created in endpoint '" + endpoint + "'");
        }
    }

    private static void requireKeyAuth(Endpoint endpoint) {
        if (endpoint.authMode() != AuthMode.KEY) {
            throw AtelierException.invalidState("Endpoint '" + endpoint.name() + "' uses auth_mode " + endpoint.authMode().wireName()
                    + " and has no keys; callers send Atelier API tokens");
        }
    }

    private void notify(String workspace, String endpoint) {
        listeners.forEach(listener -> listener.changed(workspace, endpoint));
    }

    @Override
    public void workspaceCreated(String workspace) {
    }

    @Override
    public boolean holdsData(String workspace) {
        return !store.listEndpoints(workspace).isEmpty();
    }

    @Override
    public void workspaceDeleted(String workspace) {
        // The rows are gone; the host stops what it served for the workspace when it reconciles.
        notify(workspace, "");
    }
}
