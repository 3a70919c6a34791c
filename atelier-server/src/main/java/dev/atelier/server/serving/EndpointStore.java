package dev.atelier.server.serving;

import java.util.List;
import java.util.Optional;

/** Where endpoints and deployments are kept. Implementations are thread-safe. */
public interface EndpointStore {
    /** @return false when the workspace already has an endpoint of that name */
    boolean createEndpoint(String workspace, Endpoint endpoint);

    Optional<Endpoint> getEndpoint(String workspace, String name);

    List<Endpoint> listEndpoints(String workspace);

    /** Every endpoint of every workspace with its deployments: what a server replica serves. */
    List<ServedEndpoint> listServed();

    void updateEndpoint(String workspace, Endpoint endpoint);

    /** Deletes the endpoint and its deployments. */
    boolean deleteEndpoint(String workspace, String name);

    /**
     * Stores a new deployment at a generation above every generation a deployment of that name ever had in the
     * endpoint, deleted ones included ({@code deployment.generation()} is ignored).
     *
     * @return the deployment as stored; empty when the endpoint already has a deployment of that name
     */
    Optional<Deployment> createDeployment(String workspace, Deployment deployment);

    Optional<Deployment> getDeployment(String workspace, String endpoint, String name);

    /** The endpoint's deployments, oldest first. */
    List<Deployment> listDeployments(String workspace, String endpoint);

    /**
     * Replaces the spec, state and error of a deployment whose generation is still {@code expectedGeneration}, at the
     * next generation (compare-and-set: of two concurrent updates of one generation, one wins).
     *
     * @return the deployment as stored; empty when its generation moved on (or it is gone)
     */
    Optional<Deployment> updateDeployment(String workspace, Deployment deployment, long expectedGeneration);

    /**
     * Records how starting a generation ended, unless the deployment has moved to a newer generation
     * meanwhile; @return whether it was recorded
     */
    boolean recordState(String workspace, String endpoint, String name, long generation, ProvisioningState state,
                        Optional<String> error, long now);

    boolean deleteDeployment(String workspace, String endpoint, String name);

    /** An endpoint with its workspace and deployments. */
    record ServedEndpoint(String workspace, Endpoint endpoint, List<Deployment> deployments) {
        public ServedEndpoint {
            deployments = List.copyOf(deployments);
        }
    }
}
