package dev.atelier.server.data;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.artifacts.ArtifactRepository;
import dev.atelier.server.artifacts.LocalArtifactRepository;
import dev.atelier.server.artifacts.S3Bucket;
import dev.atelier.server.artifacts.S3Settings;
import dev.atelier.server.secrets.SecretService;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Rules of datastores: names, the default {@value Datastore#DEFAULT} of every workspace, local
 * folders confined to the roots the server allows, and S3 buckets checked on registration (the
 * bucket must be listable with the credentials the named secrets hold; the answer says why not).
 * Secret values are read server-side through {@link SecretService#resolve(String, String, String)}
 * (audited as read by {@code datastore:<name>}) and never stored or returned. An S3 endpoint on a
 * non-public address must be allowed by the operator ({@link EndpointAllowList}), checked on
 * registration and again on every connection. Thread-safe.
 */
public final class DatastoreService {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,254}");

    private final DatastoreStore store;
    private final ArtifactRepository artifacts;
    private final SecretService secrets;
    private final List<Path> localRoots;
    private final EndpointAllowList endpoints;
    private final Clock clock;

    /**
     * @param artifacts  the server's artifact storage, home of every default datastore
     * @param localRoots folders inside which {@code local} datastores may be registered
     * @param endpoints  the S3 endpoints allowed on non-public addresses
     */
    public DatastoreService(DatastoreStore store, ArtifactRepository artifacts, SecretService secrets, List<Path> localRoots,
                            EndpointAllowList endpoints, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.localRoots = localRoots.stream().map(root -> root.toAbsolutePath().normalize()).toList();
        this.endpoints = requireNonNull(endpoints, "endpoints is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Registers a datastore after checking it can be used: a local folder must exist inside an
     * allowed root; an S3 bucket must be listable. Nothing is stored when a check fails.
     */
    public Datastore create(String workspace, String name, Datastore.Location location, String description, String createdBy) {
        if (!NAME.matcher(name).matches()) {
            throw AtelierException.invalidParameter("Invalid value '" + name + "' for parameter 'name': a datastore name has "
                    + "letters, digits, '_' and '-', starts with a letter or digit and has at most 255 characters");
        }
        if (name.equals(Datastore.DEFAULT)) {
            throw AtelierException.alreadyExists("Datastore '" + Datastore.DEFAULT + "' is the workspace's default and always exists");
        }
        Datastore.Location checked = switch (location) {
            case Datastore.WorkspaceStorage ignored -> throw AtelierException.invalidParameter(
                    "Invalid value 'workspace' for parameter 'type': expected 'local' or 's3'");
            case Datastore.LocalFolder local -> new Datastore.LocalFolder(checkedLocalRoot(local.root()));
            case Datastore.S3Bucket s3 -> checkedBucket(workspace, name, s3);
        };
        Datastore datastore = new Datastore(name, checked, description, createdBy, clock.millis());
        if (!store.createDatastore(workspace, datastore)) {
            throw AtelierException.alreadyExists("Datastore '" + name + "' already exists in workspace '" + workspace + "'");
        }
        return datastore;
    }

    /** The default datastore first, then the registered ones by name. */
    public List<Datastore> list(String workspace) {
        List<Datastore> all = new ArrayList<>();
        all.add(defaultDatastore());
        all.addAll(store.listDatastores(workspace));
        return List.copyOf(all);
    }

    /** {@code RESOURCE_DOES_NOT_EXIST} when there is none. */
    public Datastore get(String workspace, String name) {
        if (name.equals(Datastore.DEFAULT)) {
            return defaultDatastore();
        }
        return store.getDatastore(workspace, name).orElseThrow(() -> AtelierException.notFound(
                "Datastore '" + name + "' does not exist in workspace '" + workspace + "'"));
    }

    /** Removes the registration (never the files); the default datastore cannot be deleted. */
    public void delete(String workspace, String name) {
        if (name.equals(Datastore.DEFAULT)) {
            throw AtelierException.invalidParameter("Datastore '" + Datastore.DEFAULT + "' is the workspace's default and cannot be deleted");
        }
        if (!store.deleteDatastore(workspace, name)) {
            throw AtelierException.notFound("Datastore '" + name + "' does not exist in workspace '" + workspace + "'");
        }
    }

    /**
     * Opens the files of a datastore; the caller closes them (an S3 datastore holds a client).
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE when an S3 endpoint now resolves to an address that is not allowed
     */
    public DatastoreFiles open(String workspace, Datastore datastore) {
        return switch (datastore.location()) {
            case Datastore.WorkspaceStorage ignored -> new RepositoryFiles(artifacts, defaultKey(workspace));
            case Datastore.LocalFolder local -> new RepositoryFiles(new LocalArtifactRepository(local.root().getParent()),
                    local.root().getFileName().toString());
            case Datastore.S3Bucket s3 -> {
                s3.endpoint().ifPresent(endpoint -> endpoints.check("endpoint", endpoint));
                yield new BucketFiles(S3Bucket.open(settings(workspace, datastore.name(), s3)));
            }
        };
    }

    /** Where a workspace's default datastore lives on the artifact storage: a key no workspace name can take. */
    static String defaultKey(String workspace) {
        return workspace + ".data";
    }

    /** Deletes the files of a deleted workspace's default datastore and its registrations. */
    void workspaceDeleted(String workspace) throws IOException {
        artifacts.deleteWorkspace(defaultKey(workspace));
        store.deleteWorkspace(workspace);
    }

    private static Datastore defaultDatastore() {
        return new Datastore(Datastore.DEFAULT, new Datastore.WorkspaceStorage(),
                "The workspace's area on the server's artifact storage", SecretService.SYSTEM_PRINCIPAL, 0);
    }

    private Path checkedLocalRoot(Path requested) {
        Path root = requested.toAbsolutePath().normalize();
        boolean allowed = localRoots.stream().anyMatch(base -> root.startsWith(base) && !root.equals(base));
        if (!allowed || root.getParent() == null) {
            throw AtelierException.invalidParameter("Invalid value '" + requested + "' for parameter 'root': a local datastore "
                    + "must be a folder inside " + localRoots.stream().map(Path::toString).toList());
        }
        try {
            Path real = root.toRealPath();
            if (!Files.isDirectory(real) || localRoots.stream().noneMatch(base -> real.startsWith(realOrSelf(base)))) {
                throw AtelierException.invalidParameter("Invalid value '" + requested + "' for parameter 'root': it is not a "
                        + "folder inside the allowed roots");
            }
        } catch (IOException e) {
            throw AtelierException.invalidParameter("Invalid value '" + requested + "' for parameter 'root': no such folder");
        }
        return root;
    }

    private static Path realOrSelf(Path base) {
        try {
            return base.toRealPath();
        } catch (IOException e) {
            return base;
        }
    }

    private Datastore.S3Bucket checkedBucket(String workspace, String name, Datastore.S3Bucket s3) {
        if (s3.bucket().isBlank()) {
            throw AtelierException.invalidParameter("Missing value for required parameter 'bucket'");
        }
        s3.endpoint().ifPresent(endpoint -> endpoints.check("endpoint", endpoint));
        // Without named secrets the SDK would fall back to the server's own credentials (environment,
        // instance role) and hand the server's buckets to whoever registers a datastore.
        if (s3.accessKeySecret().isEmpty()) {
            throw AtelierException.invalidParameter("Missing value for required parameter 'access_key_secret': an s3 datastore "
                    + "names the workspace secrets that hold its keys");
        }
        if (s3.secretKeySecret().isEmpty()) {
            throw AtelierException.invalidParameter("Missing value for required parameter 'secret_key_secret': an s3 datastore "
                    + "names the workspace secrets that hold its keys");
        }
        S3Settings settings = settings(workspace, name, s3);
        Optional<String> problem;
        try (S3Bucket bucket = S3Bucket.open(settings)) {
            problem = bucket.checkAccess();
        }
        if (problem.isPresent()) {
            throw AtelierException.invalidParameter("Cannot use S3 bucket '" + s3.bucket() + "' for datastore '" + name + "': "
                    + problem.get());
        }
        return s3;
    }

    /** Connection settings with the credentials read from the workspace's secrets. */
    private S3Settings settings(String workspace, String name, Datastore.S3Bucket s3) {
        Optional<String> accessKey = s3.accessKeySecret().map(secret -> secretValue(workspace, name, secret, "access_key_secret"));
        Optional<String> secretKey = s3.secretKeySecret().map(secret -> secretValue(workspace, name, secret, "secret_key_secret"));
        return new S3Settings(s3.endpoint(), s3.region(), s3.bucket(), s3.prefix(), s3.pathStyle(), accessKey, secretKey);
    }

    private String secretValue(String workspace, String datastore, String secret, String field) {
        try {
            return secrets.resolve(workspace, secret, "datastore:" + datastore);
        } catch (AtelierException e) {
            if (e.errorCode() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                throw AtelierException.invalidParameter("Invalid value '" + secret + "' for parameter '" + field
                        + "': workspace '" + workspace + "' has no such secret");
            }
            throw e;
        }
    }
}
