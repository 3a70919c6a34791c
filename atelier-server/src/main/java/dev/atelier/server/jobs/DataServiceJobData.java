package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.artifacts.ArtifactContent;
import dev.atelier.server.artifacts.ArtifactPath;
import dev.atelier.server.artifacts.FileInfo;
import dev.atelier.server.data.DataReference;
import dev.atelier.server.data.DataService;
import dev.atelier.server.data.DataType;
import dev.atelier.server.data.DataVersion;
import dev.atelier.server.data.Datastore;
import dev.atelier.server.data.DatastoreFiles;
import dev.atelier.server.data.DatastoreService;
import dev.atelier.server.data.LineageDirection;
import dev.atelier.server.data.NewDataVersion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * {@link JobData} over the data domain's services: references are resolved by
 * {@link DataService#resolve}, files read through {@link DataService#open} and
 * {@link DatastoreService#open}, outputs written to the default datastore under
 * {@code uploads/<name>/<random id>/} (where the data domain removes them when the version is
 * deleted) and registered with {@link DataService#create}. Thread-safe (no state of its own).
 */
public final class DataServiceJobData implements JobData {
    private static final String DATASTORE_SCHEME = "datastore://";

    private final DataService data;
    private final DatastoreService datastores;

    public DataServiceJobData(DataService data, DatastoreService datastores) {
        this.data = requireNonNull(data, "data is null");
        this.datastores = requireNonNull(datastores, "datastores is null");
    }

    @Override
    public Resolved resolve(String workspace, String field, String path, Optional<String> declaredType) {
        if (path.startsWith(DATASTORE_SCHEME)) {
            NewDataVersion.DatastorePath location = rethrown(field, () -> NewDataVersion.DatastorePath.parse(path));
            Datastore datastore = rethrown(field, () -> datastores.get(workspace, location.datastore()));
            ArtifactPath base = rethrown(field, () -> ArtifactPath.parse(location.path()));
            List<FileInfo> found = listFiles(workspace, datastore, base);
            if (found.isEmpty()) {
                throw AtelierException.invalidParameter("Invalid value '" + path + "' for '" + field + "': nothing is there on "
                        + "datastore '" + datastore.name() + "'");
            }
            boolean single = found.size() == 1 && found.get(0).path().equals(base.value());
            String type = declaredType.orElse(single ? "uri_file" : "uri_folder");
            if (type.equals("uri_file") != single) {
                throw AtelierException.invalidParameter("Invalid value '" + path + "' for '" + field + "': it is a "
                        + (single ? "file" : "folder") + ", the input is declared " + type);
            }
            return new Resolved(DATASTORE_SCHEME + datastore.name() + "/" + base.value(), type);
        }
        DataVersion version = rethrown(field, () -> data.resolve(workspace, path));
        String type = version.type() == DataType.URI_FOLDER ? "uri_folder" : "uri_file";
        if (declaredType.isPresent() && !declaredType.get().equals(type)) {
            throw AtelierException.invalidParameter("Invalid value '" + path + "' for '" + field + "': " + version.reference() + " is a "
                    + version.type().wireName() + ", the input is declared " + declaredType.get());
        }
        return new Resolved(version.reference(), type);
    }

    @Override
    public boolean isTable(String workspace, Resolved input) {
        return input.path().startsWith(DataReference.PREFIX) && data.resolve(workspace, input.path()).type() == DataType.TABLE;
    }

    @Override
    public JsonNode tableProfile(String workspace, String field, String reference) {
        if (!reference.startsWith(DataReference.PREFIX)) {
            throw AtelierException.invalidParameter("Invalid value '" + reference + "' for '" + field + "': expected a table data asset");
        }
        DataVersion version = rethrown(field, () -> data.resolve(workspace, reference));
        if (version.type() != DataType.TABLE) {
            throw AtelierException.invalidParameter("Invalid value '" + reference + "' for '" + field + "': " + version.reference() + " is a "
                    + version.type().wireName() + " data asset, not a table; register the CSV file as a table "
                    + "('atelier data create --type table')");
        }
        return version.profile().orElseThrow(() -> AtelierException.invalidParameter("Invalid value '" + reference + "' for '" + field
                + "': " + version.reference() + " has no profile"));
    }

    @Override
    public void checkOutput(String workspace, String field, OutputAsset output) {
        DataReference reference = rethrown(field, () -> DataReference.parse(output.name() + "@latest"));
        output.version().ifPresent(number -> {
            boolean taken;
            try {
                data.resolve(workspace, reference.name() + ":" + number);
                taken = true;
            } catch (AtelierException e) {
                taken = e.errorCode() != ErrorCode.RESOURCE_DOES_NOT_EXIST;
            }
            if (taken) {
                throw AtelierException.alreadyExists("Invalid '" + field + "': data asset version " + output.name() + ":" + number
                        + " already exists; versions are immutable");
            }
        });
    }

    @Override
    public void checkOutputPath(String workspace, String field, String uri) {
        NewDataVersion.DatastorePath location = rethrown(field, () -> NewDataVersion.DatastorePath.parse(uri));
        rethrown(field, () -> datastores.get(workspace, location.datastore()));
        rethrown(field, () -> ArtifactPath.parse(location.path()));
    }

    @Override
    public void storeOutput(String workspace, Path local, String type, String uri) throws IOException {
        boolean file = type.equals("uri_file");
        if (file ? !Files.isRegularFile(local) : !Files.isDirectory(local)) {
            throw AtelierException.invalidParameter("The job wrote no " + (file ? "file" : "folder") + " at " + local.getFileName()
                    + " for its " + type + " output");
        }
        NewDataVersion.DatastorePath location = NewDataVersion.DatastorePath.parse(uri);
        ArtifactPath base = ArtifactPath.parse(location.path());
        try (DatastoreFiles files = datastores.open(workspace, datastores.get(workspace, location.datastore()))) {
            files.delete(base);
            if (file) {
                try (InputStream in = Files.newInputStream(local)) {
                    files.write(base, in);
                }
                return;
            }
            List<Path> sources;
            try (Stream<Path> walk = Files.walk(local)) {
                sources = walk.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).sorted().toList();
            }
            for (Path each : sources) {
                try (InputStream in = Files.newInputStream(each)) {
                    files.write(base.resolve(ArtifactPath.parse(local.relativize(each).toString().replace('\\', '/'))), in);
                }
            }
        }
    }

    @Override
    public Path download(String workspace, Resolved input, Path folder) throws IOException {
        Files.createDirectories(folder);
        if (input.path().startsWith(DATASTORE_SCHEME)) {
            NewDataVersion.DatastorePath location = NewDataVersion.DatastorePath.parse(input.path());
            ArtifactPath base = ArtifactPath.parse(location.path());
            try (DatastoreFiles files = datastores.open(workspace, datastores.get(workspace, location.datastore()))) {
                for (FileInfo file : files.listFiles(base)) {
                    String relative = file.path().equals(base.value()) ? base.name() : file.path().substring(base.value().length() + 1);
                    try (ArtifactContent content = files.open(ArtifactPath.parse(file.path()))) {
                        copy(content.stream(), folder, relative);
                    }
                }
            }
            return input.type().equals("uri_file") ? folder.resolve(base.name()) : folder;
        }
        DataVersion version = data.resolve(workspace, input.path());
        String single = null;
        for (FileInfo file : data.files(workspace, version)) {
            try (ArtifactContent content = data.open(workspace, version, file.path())) {
                copy(content.stream(), folder, file.path());
            }
            single = file.path();
        }
        return version.type() == DataType.URI_FOLDER || single == null ? folder : folder.resolve(single);
    }

    @Override
    public Optional<java.util.SortedMap<String, Path>> localFiles(String workspace, Resolved input) throws IOException {
        NewDataVersion.DatastorePath location = NewDataVersion.DatastorePath.parse(directUri(workspace, input));
        ArtifactPath base = ArtifactPath.parse(location.path());
        java.util.SortedMap<String, Path> local = new java.util.TreeMap<>();
        try (DatastoreFiles files = datastores.open(workspace, datastores.get(workspace, location.datastore()))) {
            for (FileInfo file : files.listFiles(base)) {
                Optional<Path> found = files.localFile(ArtifactPath.parse(file.path()));
                if (found.isEmpty()) {
                    return Optional.empty();
                }
                local.put(file.path().equals(base.value()) ? base.name()
                        : file.path().substring(base.value().isEmpty() ? 0 : base.value().length() + 1), found.get());
            }
        }
        return Optional.of(local);
    }

    @Override
    public String downloadedFile(String workspace, Resolved input) {
        if (input.path().startsWith(DATASTORE_SCHEME)) {
            NewDataVersion.DatastorePath location = NewDataVersion.DatastorePath.parse(input.path());
            return input.type().equals("uri_file") ? ArtifactPath.parse(location.path()).name() : "";
        }
        DataVersion version = data.resolve(workspace, input.path());
        if (version.type() == DataType.URI_FOLDER) {
            return "";
        }
        List<FileInfo> files = data.files(workspace, version);
        return files.isEmpty() ? "" : files.getLast().path();
    }

    @Override
    public String directUri(String workspace, Resolved input) {
        return input.path().startsWith(DATASTORE_SCHEME) ? input.path() : data.resolve(workspace, input.path()).uri();
    }

    @Override
    public void recordInput(String workspace, Resolved input, String runId, String source) {
        if (DataReference.isReference(input.path())) {
            data.recordLineage(workspace, data.resolve(workspace, input.path()), runId, LineageDirection.INPUT, source);
        }
    }

    @Override
    public String registerOutput(String workspace, Path local, String type, OutputAsset output, String runId, String source,
                                 String createdBy) throws IOException {
        boolean file = !type.equals("uri_folder");
        if (file ? !Files.isRegularFile(local) : !Files.isDirectory(local)) {
            throw AtelierException.invalidParameter("The job wrote no " + (file ? "file" : "folder") + " at " + local.getFileName()
                    + " for its " + type + " output");
        }
        ArtifactPath base = ArtifactPath.parse("uploads/" + output.name() + "/" + UUID.randomUUID().toString().replace("-", ""));
        Datastore datastore = datastores.get(workspace, Datastore.DEFAULT);
        String path;
        try (DatastoreFiles files = datastores.open(workspace, datastore)) {
            List<Path> sources;
            try (Stream<Path> walk = file ? Stream.of(local) : Files.walk(local)) {
                sources = walk.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).sorted().toList();
            }
            for (Path each : sources) {
                String relative = file ? local.getFileName().toString() : local.relativize(each).toString().replace('\\', '/');
                try (InputStream in = Files.newInputStream(each)) {
                    files.write(base.resolve(ArtifactPath.parse(relative)), in);
                }
            }
            path = file ? base.value() + "/" + local.getFileName() : base.value();
            return version(workspace, files, base, path, type, output, runId, source, createdBy);
        }
    }

    @Override
    public String registerOutputFile(String workspace, String fileName, InputStream content, String type, OutputAsset output,
                                     String runId, String source, String createdBy) throws IOException {
        if (type.equals("uri_folder")) {
            throw new IllegalArgumentException("a file is no uri_folder output");
        }
        ArtifactPath base = ArtifactPath.parse("uploads/" + output.name() + "/" + UUID.randomUUID().toString().replace("-", ""));
        try (DatastoreFiles files = datastores.open(workspace, datastores.get(workspace, Datastore.DEFAULT))) {
            ArtifactPath path = base.resolve(ArtifactPath.parse(fileName));
            files.write(path, content);
            return version(workspace, files, base, path.value(), type, output, runId, source, createdBy);
        }
    }

    /** Registers what is stored at {@code path} below {@code base} as the output's new version; removes {@code base} when that fails. */
    private String version(String workspace, DatastoreFiles files, ArtifactPath base, String path, String type, OutputAsset output,
                           String runId, String source, String createdBy) throws IOException {
        try {
            DataVersion version = data.create(workspace, new NewDataVersion(output.name(), type.equals("table") ? DataType.TABLE
                    : type.equals("uri_folder") ? DataType.URI_FOLDER : DataType.URI_FILE,
                    new NewDataVersion.DatastorePath(Datastore.DEFAULT, path), "Output of " + source,
                    Map.of("atelier.job.source", source, "mlflow.run_id", runId), output.version()), createdBy);
            data.recordLineage(workspace, version, runId, LineageDirection.OUTPUT, source);
            return version.reference();
        } catch (RuntimeException e) {
            files.delete(base);
            throw e;
        }
    }

    private List<FileInfo> listFiles(String workspace, Datastore datastore, ArtifactPath base) {
        try (DatastoreFiles files = datastores.open(workspace, datastore)) {
            return files.listFiles(base);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("listing datastore '" + datastore.name() + "' failed: " + e.getMessage(), e);
        }
    }

    private static void copy(InputStream in, Path folder, String relative) throws IOException {
        Path root = folder.toAbsolutePath().normalize();
        Path target = root.resolve(relative).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new IOException("refusing to write outside the input folder: " + relative);
        }
        Files.createDirectories(target.getParent());
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Runs a lookup and puts the job document's field in front of its error, keeping the error's code. */
    private static <T> T rethrown(String field, java.util.function.Supplier<T> lookup) {
        try {
            return lookup.get();
        } catch (AtelierException e) {
            String message = "Invalid '" + field + "': " + e.getMessage();
            throw e.errorCode() == ErrorCode.RESOURCE_DOES_NOT_EXIST ? AtelierException.notFound(message)
                    : AtelierException.invalidParameter(message);
        }
    }
}
