package dev.atelier.server.serving.script;

import dev.atelier.api.AtelierException;
import dev.atelier.api.mlmodel.MlModelYaml;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.server.environments.Environment;
import dev.atelier.server.environments.EnvironmentKind;
import dev.atelier.server.environments.EnvironmentService;
import dev.atelier.server.serving.BackendStarter;
import dev.atelier.server.serving.DeploymentBackend;
import dev.atelier.server.serving.DeploymentSpec;
import dev.atelier.server.snapshots.SnapshotService;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Starts scoring-script deployments whose workers each announce their own address as {@link ScriptWorkers}, a service
 * workload of the deployment's compute target (on the {@code local} target sandboxed processes; refused with its
 * reason where local workloads are refused). In the start
 * request's work folder it expects the model's files under {@code model/} (the caller copies them there first) and
 * writes the code snapshot under {@code code/} and the runner under {@code runner/}. The Python is the executable of
 * the deployment's {@code process} environment, {@code python3} without one. Thread-safe.
 */
public final class ScriptBackendStarter implements BackendStarter {
    /** How long a worker may take to import the scoring script and return from {@code init()}. */
    public static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(5);

    private final SnapshotService snapshots;
    private final EnvironmentService environments;
    private final Launchers launchers;
    private final Duration startupTimeout;

    /** Where a deployment's workers are served: its compute target's {@code workloads.serve}. */
    @FunctionalInterface
    public interface Launchers {
        /** @throws AtelierException when the target does not exist */
        ServiceLauncher on(String workspace, String compute);
    }

    public ScriptBackendStarter(SnapshotService snapshots, EnvironmentService environments, Launchers launchers, Duration startupTimeout) {
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
        this.launchers = requireNonNull(launchers, "launchers is null");
        this.environments = requireNonNull(environments, "environments is null");
        this.startupTimeout = requireNonNull(startupTimeout, "startupTimeout is null");
    }

    /**
     * @throws AtelierException INVALID_PARAMETER_VALUE when the deployment has no scoring script or code, or its
     *                          environment is not a process environment; INVALID_STATE when a worker fails to start
     *                          (the message carries its last output, such as {@code init()}'s traceback)
     */
    @Override
    public DeploymentBackend start(StartRequest request) {
        DeploymentSpec spec = request.spec();
        ServiceLauncher launcher = launchers.on(request.workspace(), spec.compute());
        String script = spec.scoringScript().orElseThrow(() -> AtelierException.invalidParameter(
                "Deployment '" + request.deployment() + "' has no code_configuration.scoring_script"));
        String snapshot = spec.code().orElseThrow(() -> AtelierException.invalidParameter(
                "Deployment '" + request.deployment() + "' has no code_configuration.code"));
        List<String> python = spec.environment().map(reference -> python(request.workspace(), reference))
                .orElse(ScriptWorkerSpec.DEFAULT_PYTHON);
        Path code = request.workDir().resolve("code");
        snapshots.materialize(request.workspace(), snapshot, code);
        Path model = request.workDir().resolve("model");
        return ScriptWorkers.start(launcher, request.workloadId(), new ScriptWorkerSpec(request.endpoint() + "/" + request.deployment(), python, code, script, model,
                spec.environmentVariables(), spec.instanceCount(), request.workDir().resolve("runner"), startupTimeout,
                Duration.ofMillis(spec.requestSettings().requestTimeoutMs()), signature(model)));
    }

    private List<String> python(String workspace, String reference) {
        Environment environment = environments.resolve(workspace, "environment", reference);
        if (environment.kind() != EnvironmentKind.PROCESS || environment.executable().isEmpty()) {
            throw AtelierException.invalidParameter("Invalid value '" + reference + "' for 'environment': a scoring script on "
                    + "local compute runs in a process environment (its executable is the Python to use), not a "
                    + environment.kind().wireName() + " one");
        }
        return List.of(environment.executable().get());
    }

    /** The signature in the model's {@code MLmodel} file, if it has both. */
    private static Optional<ModelSignature> signature(Path model) {
        Path file = model.resolve("MLmodel");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return MlModelYaml.read(file).signature();
        } catch (RuntimeException e) {
            return Optional.empty(); // a scoring script needs no MLmodel; an unreadable one only costs the metadata
        }
    }
}
