package dev.atelier.server.serving;

import dev.atelier.server.artifacts.ArtifactService;
import dev.atelier.server.compute.ComputeService;
import dev.atelier.server.compute.Workloads;
import dev.atelier.server.models.ModelRuntimes;
import dev.atelier.server.registry.ModelFiles;
import dev.atelier.server.registry.RegistryService;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * Starts the backend a deployment's spec asks for: its model in this JVM (no scoring script), or its scoring script as
 * a service workload of its compute target. A target on the server's host reads the files the server prepares (the
 * model copied into the work folder) and its workers announce their own ports ({@code scripts}); a target elsewhere
 * fetches them and gives one address ({@code remote}).
 */
public final class BackendFactory implements BackendStarter {
    private final RegistryService registry;
    private final ArtifactService artifacts;
    private final ModelRuntimes runtimes;
    private final ComputeService computes;
    private final Workloads workloads;
    private final BackendStarter scripts;
    private final BackendStarter remote;

    public BackendFactory(RegistryService registry, ArtifactService artifacts, ModelRuntimes runtimes, ComputeService computes,
                   Workloads workloads, BackendStarter scripts, BackendStarter remote) {
        this.registry = requireNonNull(registry, "registry is null");
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
        this.runtimes = requireNonNull(runtimes, "runtimes is null");
        this.computes = requireNonNull(computes, "computes is null");
        this.scripts = requireNonNull(scripts, "scripts is null");
        this.workloads = requireNonNull(workloads, "workloads is null");
        this.remote = requireNonNull(remote, "remote is null");
    }

    @Override
    public DeploymentBackend start(StartRequest request) throws Exception {
        DeploymentSpec spec = request.spec();
        if (!spec.scripted()) {
            return new JvmBackend(runtimes.load(modelDir(request)), spec.modelName(), spec.modelVersion());
        }
        if (!workloads.onServerHost(computes.get(request.workspace(), spec.compute()))) {
            return remote.start(request);
        }
        modelDir(request);
        return scripts.start(request);
    }

    /** Copies the deployment's model files into {@code <workDir>/model} and returns that folder. */
    Path modelDir(StartRequest request) {
        ModelFiles files = registry.files(request.workspace(),
                registry.getModelVersion(request.workspace(), request.spec().modelName(), request.spec().modelVersion()));
        Path modelDir = request.workDir().resolve("model");
        ModelDownload.copy(artifacts, files, modelDir);
        return modelDir;
    }
}
