package dev.atelier.server.serving.kubernetes;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What one deployment runs on a {@code kubernetes} target, resolved by the caller (the endpoint
 * service): the image of its environment, its scoring code, the files of its model version, its
 * variables and how many pods.
 *
 * @param image                the environment's container image; it must have {@code python3} when there is code
 * @param instanceCount        pods (the Deployment's replicas), at least 1
 * @param code                 the scoring script to run with Atelier's runner; empty means the image serves the model
 *                             itself (POST /score and GET /health on {@link KubernetesServingObjects#CONTAINER_PORT})
 * @param model                the model version's files, downloaded into the pod before it starts
 * @param environmentVariables plain variables of the main container
 * @param secretVariables      variables whose values are secret: kept in the deployment's Secret, read through
 *                             {@code secretKeyRef}, never written into the Deployment
 * @param token                API token the pod's init container downloads the code and model with (needed when the
 *                             server has auth on); kept in the Secret
 * @param cpu                  CPU request and limit of the main container; empty means the target's default
 * @param memory               memory request and limit; empty means the target's default
 */
public record KubernetesServingSpec(KubernetesServingRef ref, String image, int instanceCount, Optional<Code> code, ModelSource model,
                                    Map<String, String> environmentVariables, Map<String, String> secretVariables,
                                    Optional<String> token, Optional<String> cpu, Optional<String> memory) {
    public KubernetesServingSpec {
        requireNonNull(ref, "ref is null");
        requireNonNull(image, "image is null");
        requireNonNull(code, "code is null");
        requireNonNull(model, "model is null");
        environmentVariables = Map.copyOf(requireNonNull(environmentVariables, "environmentVariables is null"));
        secretVariables = Map.copyOf(requireNonNull(secretVariables, "secretVariables is null"));
        requireNonNull(token, "token is null");
        requireNonNull(cpu, "cpu is null");
        requireNonNull(memory, "memory is null");
        if (instanceCount < 1) {
            throw new IllegalArgumentException("instanceCount must be positive: " + instanceCount);
        }
    }

    /** The scoring code: a code snapshot (fetched as its zip) and the script's path inside it. */
    public record Code(String snapshotId, String scoringScript) {
        public Code {
            requireNonNull(snapshotId, "snapshotId is null");
            requireNonNull(scoringScript, "scoringScript is null");
        }
    }

    /**
     * A model version's files as the artifact proxy serves them: {@code artifactPath} is the folder's path under
     * {@code /api/2.0/mlflow-artifacts/artifacts/} (the registry's {@code ModelFiles.path()}), {@code files} every file
     * under it, relative (as the registry's version detail lists them).
     */
    public record ModelSource(String name, String version, String artifactPath, List<String> files) {
        public ModelSource {
            requireNonNull(name, "name is null");
            requireNonNull(version, "version is null");
            requireNonNull(artifactPath, "artifactPath is null");
            files = List.copyOf(requireNonNull(files, "files is null"));
        }
    }
}
