package dev.atelier.server.data;

import dev.atelier.server.artifacts.ArtifactRepository;
import dev.atelier.server.http.RouteTable;
import dev.atelier.server.registry.RegistryService;
import dev.atelier.server.secrets.SecretService;
import dev.atelier.server.store.Database;
import dev.atelier.server.tracking.TrackingService;
import dev.atelier.server.uploads.UploadQuota;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Wires the data domain for {@code AtelierServer}: datastores, data assets, upload staging under
 * {@code <dataDir>/uploads} (counted against {@code quota}, which also sweeps them) and lineage.
 * {@link #data()} is what other domains (jobs) call.
 *
 * {@code start}'s {@code localRoots} are the folders inside which {@code local} datastores may be registered,
 * its {@code endpoints} the private S3 endpoints the operator allows ({@link EndpointAllowList}).
 */
public record DataModule(DatastoreService datastores, DataService data, DataLineage lineage) {
    public DataModule {
        requireNonNull(datastores, "datastores is null");
        requireNonNull(data, "data is null");
        requireNonNull(lineage, "lineage is null");
    }

    public static DataModule start(Database database, ArtifactRepository artifacts, SecretService secrets, TrackingService tracking,
                                   RegistryService registry, Path dataDir, List<Path> localRoots, UploadQuota quota,
                                   EndpointAllowList endpoints, Clock clock) {
        JdbcDataAssetStore store = new JdbcDataAssetStore(database);
        DatastoreService datastores = new DatastoreService(new JdbcDatastoreStore(database), artifacts, secrets, localRoots, endpoints,
                clock);
        // Servers sharing PostgreSQL keep sessions' chunks in the shared artifact store, one server its own disk (faster).
        UploadFiles files = database.dialect() == Database.Dialect.POSTGRESQL
                ? new SharedUploadFiles(artifacts, new UploadPartStore(database))
                : new LocalUploadFiles(dataDir.resolve("uploads"), UploadStaging.DISK);
        UploadStaging staging = new UploadStaging(files, new UploadSessionStore(database), quota, clock);
        DataService data = new DataService(store, datastores, staging, clock);
        quota.add(data);
        return new DataModule(datastores, data, new DataLineage(store, tracking, registry));
    }

    /**
     * Where {@code local} datastores may live: {@code <dataDir>/datastores} and the folders listed in
     * {@code ATELIER_DATASTORE_ROOTS} (separated by the platform's path separator).
     */
    public static List<Path> localRoots(Path dataDir, Map<String, String> environment) {
        List<Path> roots = new ArrayList<>();
        roots.add(dataDir.resolve("datastores").toAbsolutePath().normalize());
        String listed = environment.getOrDefault("ATELIER_DATASTORE_ROOTS", "");
        for (String root : listed.split(java.io.File.pathSeparator)) {
            if (!root.isBlank()) {
                roots.add(Path.of(root.trim()).toAbsolutePath().normalize());
            }
        }
        return List.copyOf(roots);
    }

    public List<RouteTable> routes() {
        return List.of(new DatastoreRoutes(datastores, data), new DataRoutes(data, lineage), new DataUploadRoutes(data));
    }
}
