package dev.atelier.server.secrets;

import dev.atelier.server.audit.AuditService;
import dev.atelier.server.audit.JdbcAuditStore;
import dev.atelier.server.store.Database;

import java.nio.file.Path;
import java.time.Clock;

/** A secret service over a server's data directory, without HTTP: for tests that need to reach inside. */
final class Vault implements AutoCloseable {
    final Database database;
    final AuditService audit;
    final SecretService secrets;

    Vault(Path dataDir) {
        this.database = Database.openSqlite(dataDir.resolve("atelier.db"));
        this.audit = AuditService.start(new JdbcAuditStore(database), Clock.systemUTC());
        this.secrets = new SecretService(database, MasterKeys.fromFile(dataDir.resolve(KeyringFile.FILE_NAME)), audit, Clock.systemUTC());
    }

    @Override
    public void close() {
        audit.close();
        database.close();
    }
}
