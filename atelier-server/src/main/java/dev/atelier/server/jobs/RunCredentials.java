package dev.atelier.server.jobs;

import java.util.Optional;

/**
 * Credentials a job's process uses to call back into the server (MLFLOW_TRACKING_TOKEN): an API
 * token of the submitting user, restricted to the job's workspace, issued when the job starts and
 * revoked when it ends. {@link #NONE} when authentication is off.
 */
public interface RunCredentials {
    RunCredentials NONE = new RunCredentials() {
        @Override
        public Optional<Issued> issue(String workspace, String user, String jobName, long validSeconds) {
            return Optional.empty();
        }

        @Override
        public void revoke(String workspace, String user, String jobName) {
            // Nothing was issued.
        }
    };

    /** A token and the id to revoke it by. */
    record Issued(String tokenId, String secret) {
    }

    Optional<Issued> issue(String workspace, String user, String jobName, long validSeconds);

    /**
     * Revokes every token issued for the job (by name, so a server that took the job over from a stopped one revokes
     * the token that one issued).
     */
    void revoke(String workspace, String user, String jobName);
}
