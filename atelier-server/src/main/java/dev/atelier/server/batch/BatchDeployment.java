package dev.atelier.server.batch;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A batch deployment as stored: the model pinned to one version, and either a scoring script (its code snapshot and
 * entry file, run by Python workers) or none (the model scored in the server's JVM by its runtime).
 *
 * @param code          the id of the code snapshot holding the scoring script
 * @param environment   an environment reference ({@code name:version}) for a scoring script's workers
 */
public record BatchDeployment(String workspace, String endpoint, String name, String description, String modelName, String modelVersion,
                              Optional<String> code, Optional<String> scoringScript, Optional<String> environment, String compute,
                              BatchSettings settings, long createdAt, long updatedAt) {
    public BatchDeployment {
        requireNonNull(workspace, "workspace is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(modelName, "modelName is null");
        requireNonNull(modelVersion, "modelVersion is null");
        requireNonNull(code, "code is null");
        requireNonNull(scoringScript, "scoringScript is null");
        requireNonNull(environment, "environment is null");
        requireNonNull(compute, "compute is null");
        requireNonNull(settings, "settings is null");
    }

    /** Whether a scoring script scores it (over files); otherwise the model's runtime does (over CSV rows). */
    public boolean scripted() {
        return scoringScript.isPresent();
    }
}
