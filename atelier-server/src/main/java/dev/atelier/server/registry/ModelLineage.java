package dev.atelier.server.registry;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.artifacts.ArtifactService;
import dev.atelier.server.artifacts.FileInfo;
import dev.atelier.server.tracking.KeyValue;
import dev.atelier.server.tracking.Run;
import dev.atelier.server.tracking.TrackingService;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Assembles {@link ModelVersionDetail}: the run, experiment and datasets a version came from
 * (through the tracking service), and its files (through the artifact service). Thread-safe.
 */
final class ModelLineage {
    private static final String RUNS_SCHEME = "runs:/";
    private static final String CONTEXT_TAG = "mlflow.data.context";
    /** A model folder with more files than this is listed in part; the download still has them all. */
    static final int MAX_LISTED_FILES = 1000;

    private final RegistryService registry;
    private final TrackingService tracking;
    private final ArtifactService artifacts;

    ModelLineage(RegistryService registry, TrackingService tracking, ArtifactService artifacts) {
        this.registry = requireNonNull(registry, "registry is null");
        this.tracking = requireNonNull(tracking, "tracking is null");
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
    }

    ModelVersionDetail detail(String workspace, ModelVersion version) {
        Optional<ModelFiles> files = version.isReady() && !version.isPrompt() ? Optional.of(registry.files(workspace, version)) : Optional.empty();
        List<FileInfo> listing = files.map(found -> listFiles(workspace, found.path())).orElse(List.of());
        return ModelVersionDetail.of(version, files, lineage(workspace, version), listing, files.flatMap(registry::describe));
    }

    private ModelVersionDetail.Lineage lineage(String workspace, ModelVersion version) {
        Optional<String> runId = Optional.ofNullable(version.runId()).or(() -> runOfSource(version.source()));
        if (runId.isEmpty()) {
            return ModelVersionDetail.Lineage.none();
        }
        Optional<Run> run = findRun(workspace, runId.get());
        if (run.isEmpty()) {
            return new ModelVersionDetail.Lineage(runId.get(), false, null, null, null, null, List.of());
        }
        String experimentId = run.get().info().experimentId();
        String experimentName = tracking.getExperiment(workspace, experimentId).name();
        List<ModelVersionDetail.DatasetInput> datasets = run.get().inputs().datasetInputs().stream()
                .map(input -> new ModelVersionDetail.DatasetInput(input.dataset().name(), input.dataset().digest(),
                        input.dataset().sourceType(), input.dataset().source(), context(input.tags())))
                .toList();
        return new ModelVersionDetail.Lineage(runId.get(), true, run.get().info().runName(), run.get().info().status().name(),
                experimentId, experimentName, datasets);
    }

    /** The run, or empty when it was deleted for good: a model outlives its run. */
    private Optional<Run> findRun(String workspace, String runId) {
        try {
            return Optional.of(tracking.getRun(workspace, runId));
        } catch (AtelierException e) {
            if (e.errorCode() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static Optional<String> runOfSource(String source) {
        if (!source.startsWith(RUNS_SCHEME)) {
            return Optional.empty();
        }
        String rest = source.substring(RUNS_SCHEME.length());
        int slash = rest.indexOf('/');
        String runId = slash < 0 ? rest : rest.substring(0, slash);
        return runId.isEmpty() ? Optional.empty() : Optional.of(runId);
    }

    private static String context(List<KeyValue> tags) {
        return tags.stream().filter(tag -> tag.key().equals(CONTEXT_TAG)).map(KeyValue::value).findFirst().orElse(null);
    }

    /** Every file under the model folder, paths relative to it, folders first visited in name order. */
    List<FileInfo> listFiles(String workspace, String folder) {
        List<FileInfo> files = new ArrayList<>();
        collect(workspace, folder, "", files);
        return files;
    }

    private void collect(String workspace, String folder, String prefix, List<FileInfo> files) {
        for (FileInfo entry : artifacts.list(workspace, prefix.isEmpty() ? folder : folder + "/" + prefix)) {
            if (files.size() >= MAX_LISTED_FILES) {
                return;
            }
            String path = prefix.isEmpty() ? entry.path() : prefix + "/" + entry.path();
            if (entry.isDir()) {
                collect(workspace, folder, path, files);
            } else {
                files.add(FileInfo.file(path, entry.fileSize()));
            }
        }
    }
}
