package dev.atelier.server.batch;

import dev.atelier.api.AtelierException;
import dev.atelier.server.artifacts.ArtifactService;
import dev.atelier.server.compute.ComputeService;
import dev.atelier.server.compute.Workloads;
import dev.atelier.server.environments.EnvironmentService;
import dev.atelier.server.snapshots.SnapshotService;
import dev.atelier.server.jobs.JobControl;
import dev.atelier.server.jobs.JobKind;
import dev.atelier.server.jobs.JobType;
import dev.atelier.server.models.ModelRuntime;
import dev.atelier.server.models.ModelRuntimes;
import dev.atelier.server.registry.ModelVersion;
import dev.atelier.server.registry.RegistryService;
import dev.atelier.server.serving.ModelDownload;

import java.nio.file.Files;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * Batch scoring jobs as a kind of job of the queue (jobs/JobKind): each runs as a {@link BatchScoringRun}, started or
 * resumed on this server. Thread-safe.
 */
final class BatchScoringKind implements JobKind {
    private final BatchStore store;
    private final Resources resources;

    BatchScoringKind(BatchStore store, Resources resources) {
        this.store = requireNonNull(store, "store is null");
        this.resources = requireNonNull(resources, "resources is null");
    }

    @Override
    public JobType type() {
        return JobType.BATCH_SCORING;
    }

    @Override
    public Execution start(JobControl control) {
        return new BatchScoringRun(control, store, resources).start();
    }

    /**
     * What a run reads its model with, where it keeps its work (below the server's jobs folder), and what a scoring
     * script's workloads are started with.
     */
    record Resources(RegistryService registry, ArtifactService artifacts, ModelRuntimes runtimes, Path workRoot, ComputeService computes,
                     Workloads workloads, EnvironmentService environments, SnapshotService snapshots) {
        Resources {
            requireNonNull(computes, "computes is null");
            requireNonNull(workloads, "workloads is null");
            requireNonNull(environments, "environments is null");
            requireNonNull(snapshots, "snapshots is null");
            requireNonNull(registry, "registry is null");
            requireNonNull(artifacts, "artifacts is null");
            requireNonNull(runtimes, "runtimes is null");
            requireNonNull(workRoot, "workRoot is null");
        }

        /** Copies the deployment's model version into {@code folder} (once) and loads it with its runtime. */
        ModelRuntime loadModel(String workspace, BatchDeployment deployment, Path folder) {
            ModelVersion version = registry.getModelVersion(workspace, deployment.modelName(), deployment.modelVersion());
            modelFiles(workspace, deployment, folder);
            try {
                return runtimes.load(folder);
            } catch (AtelierException e) {
                throw AtelierException.invalidParameter("Model " + version.name() + " version " + version.version() + " cannot be loaded: "
                        + e.getMessage());
            }
        }

        /** Copies the deployment's model version into {@code folder} once (a resumed job finds it); the folder. */
        Path modelFiles(String workspace, BatchDeployment deployment, Path folder) {
            ModelVersion version = registry.getModelVersion(workspace, deployment.modelName(), deployment.modelVersion());
            Path complete = folder.resolveSibling(folder.getFileName() + ".complete");
            if (!Files.exists(complete)) {
                ModelDownload.copy(artifacts, registry.files(workspace, version), folder);
                try {
                    Files.writeString(complete, version.name() + "/" + version.version());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return folder;
        }
    }
}
