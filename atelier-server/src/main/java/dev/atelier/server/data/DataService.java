package dev.atelier.server.data;

import dev.atelier.api.AtelierException;
import dev.atelier.server.artifacts.ArtifactContent;
import dev.atelier.server.artifacts.ArtifactPath;
import dev.atelier.server.artifacts.FileInfo;
import dev.atelier.server.uploads.InsufficientStorage;
import dev.atelier.server.uploads.PendingUploads;
import dev.atelier.server.uploads.SweepReport;
import dev.atelier.server.workspace.WorkspaceParticipant;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Rules of data assets: immutable, integer-numbered versions of files on a datastore, created from
 * an upload session or from a path already on a datastore, tables profiled on registration, and
 * references {@code data:<name>:<version>} / {@code data:<name>@latest} resolved here
 * ({@link #resolve}) for every other domain. A registration checks everything and computes digest
 * and profile before it writes the row; when anything fails, the files it copied are removed and
 * nothing is registered. Lineage is recorded through {@link #recordLineage} and answered by
 * {@link DataLineage}. Thread-safe.
 */
public final class DataService implements WorkspaceParticipant, PendingUploads {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
    /** Where uploaded files land on the default datastore: {@code uploads/<name>/<random id>/...}. */
    static final String UPLOADS = "uploads";

    private final DataAssetStore store;
    private final DatastoreService datastores;
    private final UploadStaging staging;
    private final TableProfiler profiler = new TableProfiler();
    private final Clock clock;

    DataService(DataAssetStore store, DatastoreService datastores, UploadStaging staging, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.datastores = requireNonNull(datastores, "datastores is null");
        this.staging = requireNonNull(staging, "staging is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Registers a new version and returns it; see the class comment for what is checked. */
    public DataVersion create(String workspace, NewDataVersion request, String createdBy) {
        if (!NAME.matcher(request.name()).matches()) {
            throw AtelierException.invalidParameter("Invalid value '" + request.name() + "' for parameter 'name': a data asset "
                    + "name has letters, digits, '.', '_' and '-', starts with a letter or digit and has at most 255 characters");
        }
        request.version().ifPresent(version -> {
            if (version < 1) {
                throw AtelierException.invalidParameter("Invalid value " + version + " for parameter 'version': versions start at 1");
            }
            if (store.getVersion(workspace, request.name(), version).isPresent()) {
                throw versionExists(request.name(), version);
            }
        });
        return switch (request.source()) {
            case NewDataVersion.DatastorePath existing -> registerExisting(workspace, request, existing, createdBy);
            case NewDataVersion.Upload upload -> registerUpload(workspace, request, upload, createdBy);
        };
    }

    private DataVersion registerExisting(String workspace, NewDataVersion request, NewDataVersion.DatastorePath source,
                                         String createdBy) {
        Datastore datastore = datastores.get(workspace, source.datastore());
        ArtifactPath path = ArtifactPath.parse(source.path());
        try (DatastoreFiles files = datastores.open(workspace, datastore)) {
            DataImport.Content content = DataImport.existing(files, datastore.name(), path, request.type());
            return insert(workspace, request, datastore.name(), content, files, createdBy);
        } catch (IOException e) {
            throw new UncheckedIOException("reading datastore '" + datastore.name() + "' failed: " + e.getMessage(), e);
        }
    }

    private DataVersion registerUpload(String workspace, NewDataVersion request, NewDataVersion.Upload upload, String createdBy) {
        Datastore datastore = datastores.get(workspace, Datastore.DEFAULT);
        ArtifactPath base = ArtifactPath.parse(UPLOADS + "/" + request.name() + "/" + UUID.randomUUID().toString().replace("-", ""));
        try (DatastoreFiles files = datastores.open(workspace, datastore)) {
            staging.claim(workspace, upload.uploadId());
            boolean registered = false;
            try {
                DataImport.Content content = DataImport.copyUpload(staging, workspace, upload.uploadId(), files, base, request.type());
                DataVersion version = insert(workspace, request, datastore.name(), content, files, createdBy);
                registered = true;
                staging.delete(workspace, upload.uploadId());
                return version;
            } finally {
                if (!registered) {
                    files.delete(base);
                }
            }
        } catch (IOException e) {
            throw InsufficientStorage.of(e, "the files of upload '" + upload.uploadId() + "'");
        }
    }

    private DataVersion insert(String workspace, NewDataVersion request, String datastore, DataImport.Content content,
                               DatastoreFiles files, String createdBy) throws IOException {
        Optional<com.fasterxml.jackson.databind.JsonNode> profile = Optional.empty();
        if (request.type() == DataType.TABLE) {
            ArtifactPath table = ArtifactPath.parse(content.firstFile());
            profile = Optional.of(profiler.profile(table.name(), () -> files.open(table).stream()));
        }
        DataVersion version = new DataVersion(request.name(), 0, request.type(), datastore, content.path(), request.description(),
                request.tags(), content.digest(), content.sizeBytes(), content.fileCount(), profile, false, createdBy, clock.millis());
        return store.createVersion(workspace, version, request.version())
                .orElseThrow(() -> versionExists(request.name(), request.version().orElse(0)));
    }

    /**
     * Resolves {@code data:<name>:<version>}, {@code data:<name>@latest} (the newest version not
     * archived) or the same without the {@code data:} prefix. The one place references are resolved.
     *
     * @throws AtelierException {@code RESOURCE_DOES_NOT_EXIST} naming the reference, {@code INVALID_PARAMETER_VALUE} when malformed
     */
    public DataVersion resolve(String workspace, String reference) {
        DataReference parsed = DataReference.parse(reference);
        Optional<DataVersion> found = parsed.version().isPresent()
                ? store.getVersion(workspace, parsed.name(), parsed.version().get())
                : store.latestVersion(workspace, parsed.name());
        return found.orElseThrow(() -> AtelierException.notFound("Data asset " + parsed + " does not exist in workspace '"
                + workspace + "'"));
    }

    public DataVersion get(String workspace, String name, String version) {
        return resolve(workspace, "latest".equals(version) ? name + "@latest" : name + ":" + version);
    }

    /** The latest version of every asset, by name. */
    public List<DataVersion> list(String workspace, boolean includeArchived) {
        return store.listAssets(workspace, includeArchived);
    }

    public List<DataVersion> versions(String workspace, String name, boolean includeArchived) {
        List<DataVersion> versions = store.listVersions(workspace, name, true);
        if (versions.isEmpty()) {
            throw AtelierException.notFound("Data asset '" + name + "' does not exist in workspace '" + workspace + "'");
        }
        return versions.stream().filter(version -> includeArchived || !version.archived()).toList();
    }

    /** Archives ({@code true}) or restores a version; its files and number stay. */
    public DataVersion setArchived(String workspace, String name, String version, boolean archived) {
        DataVersion found = get(workspace, name, version);
        store.setArchived(workspace, name, found.version(), archived);
        return get(workspace, name, Integer.toString(found.version()));
    }

    /**
     * Deletes a version. One that runs read or produced (recorded lineage, or MLflow datasets that
     * name it) needs {@code force}; its lineage records stay. Files this server uploaded for it are
     * removed; files registered where they already were stay.
     */
    public void delete(String workspace, String name, String version, boolean force, DataLineage lineage) {
        DataVersion found = get(workspace, name, version);
        if (!force && lineage.isUsed(workspace, found)) {
            throw AtelierException.invalidState("Data asset " + found.reference() + " was used by runs; delete it with force=true "
                    + "(its lineage is kept)");
        }
        store.deleteVersion(workspace, name, found.version());
        if (found.datastore().equals(Datastore.DEFAULT) && found.path().startsWith(UPLOADS + "/")) {
            try (DatastoreFiles files = datastores.open(workspace, datastores.get(workspace, Datastore.DEFAULT))) {
                ArtifactPath path = ArtifactPath.parse(found.path());
                files.delete(found.type() == DataType.URI_FOLDER ? path : ArtifactPath.parse(path.value().substring(0,
                        path.value().lastIndexOf('/'))));
            } catch (IOException e) {
                throw new UncheckedIOException("deleting the files of " + found.reference() + " failed", e);
            }
        }
    }

    /** The files of a version, paths relative to the version's path (a uri_file's one file by its name). */
    public List<FileInfo> files(String workspace, DataVersion version) {
        try (DatastoreFiles files = datastores.open(workspace, datastores.get(workspace, version.datastore()))) {
            ArtifactPath base = ArtifactPath.parse(version.path());
            return files.listFiles(base).stream().map(file -> FileInfo.file(file.path().equals(base.value()) ? base.name()
                    : file.path().substring(base.value().isEmpty() ? 0 : base.value().length() + 1), file.fileSize())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + version.reference() + " failed", e);
        }
    }

    /** Opens one file of a version; {@link ArtifactContent} holds the datastore open until closed. */
    public ArtifactContent open(String workspace, DataVersion version, String relativePath) {
        ArtifactPath base = ArtifactPath.parse(version.path());
        ArtifactPath relative = ArtifactPath.parse(relativePath);
        ArtifactPath path = version.type() == DataType.URI_FOLDER ? base.resolve(relative) : base;
        if (version.type() != DataType.URI_FOLDER && !relative.isRoot() && !relative.value().equals(base.name())) {
            throw AtelierException.notFound("No file '" + relativePath + "' in " + version.reference());
        }
        DatastoreFiles files = datastores.open(workspace, datastores.get(workspace, version.datastore()));
        try {
            ArtifactContent content = files.open(path);
            return new ArtifactContent(new ClosingStream(content.stream(), files), content.size());
        } catch (IOException | RuntimeException e) {
            files.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("reading " + version.reference() + " failed", io);
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * Records that a run read ({@link LineageDirection#INPUT}) or produced a data version. The jobs
     * domain calls this for each data input and registered output of a job's run, with
     * {@code source = "job:<id>"}. Recording the same use twice keeps the first record.
     */
    public void recordLineage(String workspace, DataVersion version, String runId, LineageDirection direction, String source) {
        store.recordLineage(workspace, new LineageRecord(version.name(), version.version(), runId, direction, source, clock.millis()));
    }

    /** {@code INVALID_STATE} while data versions point at the datastore. */
    public void requireDatastoreUnused(String workspace, String datastore) {
        if (store.datastoreInUse(workspace, datastore)) {
            throw AtelierException.invalidState("Datastore '" + datastore + "' holds registered data asset versions; "
                    + "delete them first");
        }
    }

    /** Bytes of the workspace's unfinished upload sessions (its upload quota counts them). */
    @Override
    public long pendingBytes(String workspace) {
        return staging.pendingBytes(workspace);
    }

    /** Expires upload sessions without a chunk since {@code expiredBefore}, with their staged files. */
    @Override
    public SweepReport sweep(Optional<String> workspace, long expiredBefore, long now) {
        return staging.sweep(workspace, expiredBefore, now);
    }

    UploadStaging staging() {
        return staging;
    }

    DataAssetStore store() {
        return store;
    }

    private static AtelierException versionExists(String name, int version) {
        return AtelierException.alreadyExists("Data asset version " + name + ":" + version + " exists or was used before; "
                + "versions are immutable, register a new one");
    }

    @Override
    public void workspaceCreated(String workspace) {
        // The default datastore's folder appears with the first upload.
    }

    @Override
    public boolean holdsData(String workspace) {
        return !store.listAssets(workspace, true).isEmpty();
    }

    @Override
    public void workspaceDeleted(String workspace) {
        try {
            store.deleteWorkspace(workspace);
            datastores.workspaceDeleted(workspace);
            staging.deleteWorkspace(workspace);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting the data of workspace '" + workspace + "' failed", e);
        }
    }

    /** Closes the datastore when the stream is closed. */
    private static final class ClosingStream extends java.io.FilterInputStream {
        private final DatastoreFiles files;

        ClosingStream(InputStream in, DatastoreFiles files) {
            super(in);
            this.files = files;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                files.close();
            }
        }
    }
}
