package dev.atelier.server.batch;

import java.util.List;
import java.util.Optional;

/**
 * Batch endpoints, their deployments, the scoring jobs they started and those jobs' finished mini-batches.
 * Each call is one transaction. Implementations are thread-safe.
 */
interface BatchStore {
    /** False when the name is taken. */
    boolean createEndpoint(BatchEndpoint endpoint);

    Optional<BatchEndpoint> getEndpoint(String workspace, String name);

    List<BatchEndpoint> listEndpoints(String workspace);

    /** Writes description, auth mode, default deployment and tags; false when it does not exist. */
    boolean updateEndpoint(BatchEndpoint endpoint);

    /** Deletes the endpoint and its deployments (not its jobs); false when it did not exist. */
    boolean deleteEndpoint(String workspace, String name);

    /** Inserts or replaces a deployment (and makes it the endpoint's default when asked). */
    void putDeployment(BatchDeployment deployment, boolean makeDefault);

    Optional<BatchDeployment> getDeployment(String workspace, String endpoint, String name);

    List<BatchDeployment> listDeployments(String workspace, String endpoint);

    /** Deletes a deployment, clearing the endpoint's default when it was; false when it did not exist. */
    boolean deleteDeployment(String workspace, String endpoint, String name);

    /** Records that the endpoint started the job; nothing when it is recorded. */
    void addJob(String workspace, String jobName, String endpoint, String deployment, long now);

    /** Names of the jobs an endpoint started, newest first. */
    List<String> jobsOf(String workspace, String endpoint, int limit);

    /** The registered output of a job ({@code data:<name>:<version>}), once registered. */
    Optional<String> output(String workspace, String jobName);

    void setOutput(String workspace, String jobName, String output);

    /** Records a finished mini-batch; false when it was already recorded (a second server's copy of it). */
    boolean finishMiniBatch(String workspace, String jobName, MiniBatchResult result);

    /** The finished mini-batches of a job, in order. */
    List<MiniBatchResult> miniBatches(String workspace, String jobName);
}
