package dev.atelier.server.uploads;

import dev.atelier.server.ServerConfig;
import dev.atelier.server.testing.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The upload limits on PostgreSQL: the same conditional updates and deletes decide expiry there. Servers sharing
 * PostgreSQL keep upload sessions' chunks in the artifact store (its {@code .uploads} area, the chunks indexed in
 * {@code upload_parts}), so the staged bytes are found there.
 */
class UploadLimitsOnPostgresTest extends UploadLimitsTest {
    @Override
    ServerConfig config() {
        return super.config().withDatabaseUrl(EmbeddedPostgres.createDatabase());
    }

    @Override
    long stagedBytes(String id, String path) throws IOException {
        long recorded = server.database().read(handle -> handle.createQuery("""
                        SELECT COALESCE(SUM(size_bytes), -1) FROM upload_parts WHERE upload_id = :id AND path = :path
                        """)
                .bind("id", id).bind("path", path).mapTo(Long.class).one());
        if (recorded >= 0) {
            try (var objects = Files.walk(chunks(id))) {
                long stored = objects.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
                return stored >= recorded ? recorded : -2; // a recorded chunk whose object is missing
            }
        }
        return recorded;
    }

    @Override
    boolean sessionStored(String id) {
        return Files.exists(chunks(id));
    }

    private Path chunks(String id) {
        return dataDir.resolve("artifacts/.uploads/default/" + id);
    }
}
