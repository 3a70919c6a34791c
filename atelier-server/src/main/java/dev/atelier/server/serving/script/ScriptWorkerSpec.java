package dev.atelier.server.serving.script;

import dev.atelier.api.mlmodel.ModelSignature;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What {@link ScriptWorkers#start} needs to run a scoring-script deployment as local worker processes.
 *
 * @param deploymentId         names the deployment in log lines and error messages (e.g. {@code my-endpoint/blue})
 * @param pythonCommand        the interpreter command, from the deployment's environment ({@link #DEFAULT_PYTHON} without one)
 * @param codeDir              the code folder (the materialized {@code code_configuration.code} snapshot)
 * @param scoringScript        {@code code_configuration.scoring_script}, relative to the code folder
 * @param modelDir             the model version's files, given to the script as {@code AZUREML_MODEL_DIR} and {@code ATELIER_MODEL_DIR}
 * @param environmentVariables the deployment's {@code environment_variables}
 * @param instanceCount        how many worker processes to run
 * @param workingDir           where the runner script is written (one folder per deployment)
 * @param startupTimeout       how long one worker may take to import the script and return from {@code init()}
 * @param requestTimeout       {@code request_settings.request_timeout_ms}: how long one call may take
 * @param signature            the model's signature where its {@code MLmodel} has one (answered as metadata, not enforced here)
 */
public record ScriptWorkerSpec(String deploymentId, List<String> pythonCommand, Path codeDir, String scoringScript, Path modelDir,
                               Map<String, String> environmentVariables, int instanceCount, Path workingDir,
                               Duration startupTimeout, Duration requestTimeout, Optional<ModelSignature> signature) {
    public static final List<String> DEFAULT_PYTHON = List.of("python3");

    public ScriptWorkerSpec {
        requireNonNull(deploymentId, "deploymentId is null");
        pythonCommand = List.copyOf(requireNonNull(pythonCommand, "pythonCommand is null"));
        requireNonNull(codeDir, "codeDir is null");
        requireNonNull(scoringScript, "scoringScript is null");
        requireNonNull(modelDir, "modelDir is null");
        environmentVariables = Map.copyOf(requireNonNull(environmentVariables, "environmentVariables is null"));
        requireNonNull(workingDir, "workingDir is null");
        requireNonNull(startupTimeout, "startupTimeout is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        requireNonNull(signature, "signature is null");
        if (pythonCommand.isEmpty()) {
            throw new IllegalArgumentException("pythonCommand is empty");
        }
        if (instanceCount < 1) {
            throw new IllegalArgumentException("instanceCount must be at least 1, was " + instanceCount);
        }
        if (startupTimeout.isNegative() || startupTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /**
     * A spec with Azure ML's defaults for the rest: {@code python3}, no extra variables, one instance, 5 minutes
     * to start (Azure's default liveness probe gives {@code init()} about as long: 30 failures 10 s apart), 5 seconds
     * per request (Azure's default {@code request_timeout_ms}).
     */
    public static ScriptWorkerSpec of(String deploymentId, Path codeDir, String scoringScript, Path modelDir, Path workingDir) {
        return new ScriptWorkerSpec(deploymentId, DEFAULT_PYTHON, codeDir, scoringScript, modelDir, Map.of(), 1, workingDir,
                Duration.ofMinutes(5), Duration.ofSeconds(5), Optional.empty());
    }

    public ScriptWorkerSpec withInstanceCount(int count) {
        return new ScriptWorkerSpec(deploymentId, pythonCommand, codeDir, scoringScript, modelDir, environmentVariables, count,
                workingDir, startupTimeout, requestTimeout, signature);
    }

    public ScriptWorkerSpec withEnvironmentVariables(Map<String, String> variables) {
        return new ScriptWorkerSpec(deploymentId, pythonCommand, codeDir, scoringScript, modelDir, variables, instanceCount,
                workingDir, startupTimeout, requestTimeout, signature);
    }

    public ScriptWorkerSpec withTimeouts(Duration startup, Duration request) {
        return new ScriptWorkerSpec(deploymentId, pythonCommand, codeDir, scoringScript, modelDir, environmentVariables,
                instanceCount, workingDir, startup, request, signature);
    }
}
