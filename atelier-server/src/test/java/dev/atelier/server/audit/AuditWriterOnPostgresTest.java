package dev.atelier.server.audit;

import dev.atelier.server.store.Database;
import dev.atelier.server.testing.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The batching writer on a real PostgreSQL, which refuses text holding a NUL: one such event is lost alone. */
class AuditWriterOnPostgresTest {
    @Test
    void anEventTheDatabaseRefusesLosesOnlyItselfNotItsBatch() {
        try (Database database = EmbeddedPostgres.openFreshDatabase()) {
            JdbcAuditStore store = new JdbcAuditStore(database);
            try (AuditWriter writer = AuditWriter.start(store, Duration.ofHours(1), 100, Duration.ofSeconds(1))) {
                writer.enqueue(event("/x/before"));
                writer.enqueue(event("/x/bad\u0000path"));
                writer.enqueue(event("/x/after"));
            }
            assertThat(store.searchEvents(new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 100,
                            Optional.empty())).events())
                    .extracting(AuditEvent::target)
                    .containsExactlyInAnyOrder("/x/before", "/x/after");
        }
    }

    private static AuditEvent event(String target) {
        return new AuditEvent(UUID.randomUUID().toString(), 1, "local", "default", "GET /x", target, AuditOutcome.ALLOWED, 200,
                "127.0.0.1");
    }
}
