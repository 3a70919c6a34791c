package dev.atelier.server.monitoring;

import dev.atelier.server.artifacts.ArtifactService;
import dev.atelier.server.artifacts.LocalArtifactRepository;
import dev.atelier.server.audit.AuditService;
import dev.atelier.server.audit.JdbcAuditStore;
import dev.atelier.server.config.SecurityConfig;
import dev.atelier.server.data.DataModule;
import dev.atelier.server.registry.JdbcRegistryStore;
import dev.atelier.server.registry.RegistryService;
import dev.atelier.server.secrets.MasterKeys;
import dev.atelier.server.secrets.SecretService;
import dev.atelier.server.store.Database;
import dev.atelier.server.testing.TestServer;
import dev.atelier.server.tracking.JdbcTrackingStore;
import dev.atelier.server.tracking.RunArtifacts;
import dev.atelier.server.tracking.TrackingService;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The data domain of a running test server, wired a second time over the server's database and
 * artifact folder: what the endpoint router would hand the monitoring pieces, so a test can log
 * requests and read them back through the server's HTTP API.
 */
final class DataDomainBeside implements AutoCloseable {
    private final RegistryService registry;
    private final AuditService audit;
    private final DataModule data;

    private DataDomainBeside(RegistryService registry, AuditService audit, DataModule data) {
        this.registry = registry;
        this.audit = audit;
        this.data = data;
    }

    static DataDomainBeside of(TestServer server) {
        Database database = server.server().database();
        Path dataDir = server.server().dataDir();
        Clock clock = Clock.systemUTC();
        LocalArtifactRepository repository = new LocalArtifactRepository(dataDir.resolve("artifacts"));
        ArtifactService artifacts = new ArtifactService(repository);
        TrackingService tracking = new TrackingService(new JdbcTrackingStore(database), new RunArtifacts(artifacts), clock);
        RegistryService registry = RegistryService.start(new JdbcRegistryStore(database), tracking, artifacts, clock);
        AuditService audit = AuditService.start(new JdbcAuditStore(database), clock);
        SecretService secrets = new SecretService(database, MasterKeys.open(SecurityConfig.NONE, dataDir), audit, clock);
        DataModule data = DataModule.start(database, repository, secrets, tracking, registry, dataDir,
                DataModule.localRoots(dataDir, Map.of()), dev.atelier.server.uploads.UploadQuota.unlimited(),
                dev.atelier.server.data.EndpointAllowList.NONE, clock);
        return new DataDomainBeside(registry, audit, data);
    }

    DataModule data() {
        return data;
    }

    @Override
    public void close() {
        registry.close();
        audit.close();
    }
}
