package dev.atelier.server.registry;

import dev.atelier.api.AtelierException;
import dev.atelier.server.artifacts.ArtifactService;
import dev.atelier.server.tracking.KeyValue;
import dev.atelier.server.tracking.TrackingService;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How a version gets its files and where they are afterwards: the source is checked
 * ({@link ModelSources}, {@link ModelFolderCheck}) and copied into registry storage
 * ({@link RegistryStorage}). Thread-safe.
 */
final class ModelRegistration implements AutoCloseable {
    private static final String ARTIFACTS_SCHEME = "mlflow-artifacts:/";
    /** The version tag that says what is wrong with a version registered anyway (a missing environment file). */
    static final String WARNING_TAG = "atelier.warning";

    private final RegistryStore store;
    private final Clock clock;
    private final ModelSources sources;
    private final ModelFolderCheck folderCheck;
    private final RegistryStorage storage;

    ModelRegistration(RegistryStore store, TrackingService tracking, ArtifactService artifacts, Clock clock, long inlineCopyLimitBytes) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.sources = new ModelSources(tracking, artifacts);
        this.folderCheck = new ModelFolderCheck(artifacts);
        this.storage = new RegistryStorage(store, artifacts, clock, inlineCopyLimitBytes);
    }

    void startSweeping() {
        storage.startSweeping();
    }

    /** The folder a non-{@code models:/} source names; see {@link ModelSources#locate}. */
    String locate(String workspace, String source) {
        return sources.locate(workspace, source);
    }

    /**
     * Checks the model folder at {@code copySource}, creates the version and copies the files:
     * in this call when they are small (the answer is READY or FAILED_REGISTRATION), else in the
     * background (the answer is PENDING_REGISTRATION). Nothing is created when the check fails.
     *
     * @return the version as the answer shows it (READY or FAILED_REGISTRATION after an inline copy,
     *         PENDING_REGISTRATION while a background copy runs), or empty when the model does not exist
     */
    Optional<ModelVersion> register(String workspace, NewModelVersion checked, String copySource) {
        NewModelVersion version = withWarning(checked, folderCheck.check(workspace, copySource, checked.source()));
        boolean inline = storage.copiesInline(workspace, copySource);
        String location = RegistryStorage.newLocation();
        String owner = PendingCopy.newClaimOwner();
        Optional<ModelVersion> created = store.createModelVersion(workspace, version, copySource, location, owner, storage.leaseEnd(),
                clock.millis());
        if (created.isEmpty()) {
            return created;
        }
        long number = Long.parseLong(created.get().version());
        PendingCopy copy = new PendingCopy(workspace, version.name(), number, copySource, location, owner, null);
        if (!inline) {
            storage.copyInBackground(copy);
            return created;
        }
        storage.copyNow(copy);
        return store.getModelVersion(workspace, version.name(), number);
    }

    /**
     * The version with the tag {@value #WARNING_TAG} naming the environment files its MLmodel names and lacks, when any:
     * MLflow registers it as it is, but an environment built from the model would miss them.
     */
    private static NewModelVersion withWarning(NewModelVersion version, List<String> missingEnvironmentFiles) {
        if (missingEnvironmentFiles.isEmpty()) {
            return version;
        }
        String names = missingEnvironmentFiles.stream().map(file -> "'" + file + "'").collect(java.util.stream.Collectors.joining(", "));
        String warning = "The MLmodel names the environment file" + (missingEnvironmentFiles.size() > 1 ? "s " : " ") + names
                + ", missing from the model's files; an environment built from this model lacks "
                + (missingEnvironmentFiles.size() > 1 ? "them" : "it") + ".";
        List<KeyValue> tags = new ArrayList<>(version.tags().stream().filter(tag -> !tag.key().equals(WARNING_TAG)).toList());
        tags.add(new KeyValue(WARNING_TAG, warning));
        return new NewModelVersion(version.name(), version.source(), version.runId(), tags, version.description(), version.modelId());
    }

    /**
     * Where a version's files are. Only READY versions have files to read; a version registered
     * before the registry kept copies is read where its source is, when this server can.
     *
     * @throws AtelierException INVALID_STATE when the version is not READY or its files cannot be read here
     */
    ModelFiles files(String workspace, ModelVersion version) {
        if (!version.isReady()) {
            throw AtelierException.invalidState("Model version " + version.version() + " of '" + version.name() + "' is "
                    + version.status() + (version.statusMessage() == null ? "" : " (" + version.statusMessage() + ")")
                    + "; its files cannot be read.");
        }
        String path = version.storageLocation() != null ? version.storageLocation()
                : sources.locateQuietly(workspace, version.source()).orElseThrow(() -> AtelierException.invalidState(
                "The files of model version " + version.version() + " of '" + version.name() + "' are at "
                        + version.source() + ", which this server cannot read."));
        return new ModelFiles(version, workspace, path, ARTIFACTS_SCHEME + path);
    }

    /** MLflow's download URI of a version: its registry copy, or for an old version its source, resolved when readable. */
    String downloadUri(String workspace, ModelVersion version) {
        if (version.storageLocation() == null) {
            return sources.locateQuietly(workspace, version.source()).map(path -> ARTIFACTS_SCHEME + path).orElse(version.source());
        }
        return files(workspace, version).artifactUri();
    }

    Optional<ModelDescription> describe(ModelFiles files) {
        return folderCheck.describe(files.workspace(), files.path());
    }

    /** Deletes a version's registry copy; nothing happens for a null location. */
    void deleteCopy(String workspace, String storageLocation) {
        storage.delete(workspace, storageLocation);
    }

    @Override
    public void close() {
        storage.close();
    }
}
