package dev.atelier.server.serving;

import dev.atelier.server.artifacts.ArtifactService;
import dev.atelier.server.compute.ComputeKind;
import dev.atelier.server.compute.ComputeService;
import dev.atelier.server.models.ModelRuntimes;
import dev.atelier.server.registry.ModelFiles;
import dev.atelier.server.registry.RegistryService;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * Starts the backend a deployment's spec asks for: its model in this JVM (no scoring script), Python
 * workers running its scoring script (local target), or pods on a Kubernetes target.
 */
public final class BackendFactory implements BackendStarter {
    private final RegistryService registry;
    private final ArtifactService artifacts;
    private final ModelRuntimes runtimes;
    private final ComputeService computes;
    private final BackendStarter scripts;
    private final BackendStarter kubernetes;

    public BackendFactory(RegistryService registry, ArtifactService artifacts, ModelRuntimes runtimes, ComputeService computes,
                   BackendStarter scripts, BackendStarter kubernetes) {
        this.registry = requireNonNull(registry, "registry is null");
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
        this.runtimes = requireNonNull(runtimes, "runtimes is null");
        this.computes = requireNonNull(computes, "computes is null");
        this.scripts = requireNonNull(scripts, "scripts is null");
        this.kubernetes = requireNonNull(kubernetes, "kubernetes is null");
    }

    @Override
    public DeploymentBackend start(StartRequest request) throws Exception {
        DeploymentSpec spec = request.spec();
        if (computes.get(request.workspace(), spec.compute()).kind() == ComputeKind.KUBERNETES) {
            return kubernetes.start(request);
        }
        Path modelDir = modelDir(request);
        if (spec.scripted()) {
            return scripts.start(request);
        }
        return new JvmBackend(runtimes.load(modelDir), spec.modelName(), spec.modelVersion());
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
