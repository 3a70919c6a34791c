package dev.atelier.server.registry;

import dev.atelier.api.AtelierException;
import dev.atelier.server.artifacts.ArtifactService;
import dev.atelier.server.tracking.RunInfo;
import dev.atelier.server.tracking.TrackingService;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where the files of a model version's {@code source} are in this server's artifact store, as a
 * path relative to the workspace's artifact root: {@code runs:/<run_id>/<path>} (the run's
 * artifacts, which must be stored here), {@code mlflow-artifacts:/<path>}, or a {@code file:} URI
 * or absolute path inside the workspace's artifact folder. {@code models:/} sources are resolved
 * by {@link RegistryService} before they get here. Anything else cannot be read by the server and
 * is refused. Thread-safe.
 */
final class ModelSources {
    private static final String RUNS_SCHEME = "runs:/";

    private final TrackingService tracking;
    private final ArtifactService artifacts;

    ModelSources(TrackingService tracking, ArtifactService artifacts) {
        this.tracking = requireNonNull(tracking, "tracking is null");
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
    }

    /**
     * The folder or file {@code source} names, which must hold at least one file.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE naming the source when the server cannot read
     *         it or nothing is there; RESOURCE_DOES_NOT_EXIST for a {@code runs:/} URI naming an unknown run
     */
    String locate(String workspace, String source) {
        String path = source.startsWith(RUNS_SCHEME) ? runPath(workspace, source)
                : artifacts.locate(workspace, source).orElseThrow(() -> unreadable(source));
        if (path.isEmpty()) {
            throw AtelierException.invalidParameter("Model version source '" + source + "' is the whole artifact store; "
                    + "name the model's folder.");
        }
        if (artifacts.list(workspace, path).isEmpty() && !isFile(workspace, path)) {
            throw AtelierException.invalidParameter("Model version source '" + source + "' holds no files.");
        }
        return path;
    }

    /** Where the registry would find the files of a version registered before it kept copies; empty when unreadable. */
    Optional<String> locateQuietly(String workspace, String source) {
        try {
            return Optional.of(source.startsWith(RUNS_SCHEME) ? runPath(workspace, source)
                    : artifacts.locate(workspace, source).orElseThrow(() -> unreadable(source)));
        } catch (AtelierException e) {
            return Optional.empty();
        }
    }

    private String runPath(String workspace, String source) {
        String rest = source.substring(RUNS_SCHEME.length());
        int slash = rest.indexOf('/');
        String runId = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("^/+|/+$", "");
        if (runId.isEmpty()) {
            throw AtelierException.invalidParameter("Model version source '" + source + "' names no run: use runs:/<run_id>/<path>.");
        }
        RunInfo run = tracking.getRunInfo(workspace, runId);
        String root = artifacts.locate(workspace, run.artifactUri()).orElseThrow(() -> AtelierException.invalidParameter(
                "Model version source '" + source + "': the run's artifacts are at " + run.artifactUri()
                        + ", which this server does not store, so it cannot copy them."));
        return path.isEmpty() ? root : root + "/" + path;
    }

    private boolean isFile(String workspace, String path) {
        try {
            artifacts.open(workspace, path).close();
            return true;
        } catch (AtelierException e) {
            return false;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static AtelierException unreadable(String source) {
        return AtelierException.invalidParameter("Model version source '" + source + "' is not readable by this server: "
                + "register from runs:/<run_id>/<path>, mlflow-artifacts:/<path>, models:/<name>/<version> "
                + "or a path inside this workspace's artifact store.");
    }
}
