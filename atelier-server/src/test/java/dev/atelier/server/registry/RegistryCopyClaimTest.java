package dev.atelier.server.registry;

import dev.atelier.api.Workspace;
import dev.atelier.server.artifacts.ArtifactService;
import dev.atelier.server.artifacts.LocalArtifactRepository;
import dev.atelier.server.store.Database;
import dev.atelier.server.workspace.JdbcWorkspaceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A background copy is fenced on its claim: one whose claim another server takes over while a long file is being read
 * stops there, removes its own folder, and leaves the version to the new holder (it used to end it READY). Leases end on
 * the database's clock: a server whose clock is off neither takes a running copy over nor misses an abandoned one.
 */
class RegistryCopyClaimTest {
    @TempDir
    Path dataDir;

    @Test
    void aCopyWhoseClaimIsTakenOverWhileAFileIsReadStopsAndLeavesTheVersionToItsNewHolder() throws IOException {
        try (Database database = Database.openSqlite(dataDir.resolve("atelier.db"))) {
            new JdbcWorkspaceStore(database).createWorkspace(new Workspace("default", "", Map.of(), 1, 1));
            ArtifactService artifacts = new ArtifactService(new LocalArtifactRepository(dataDir.resolve("artifacts")));
            JdbcRegistryStore store = new JdbcRegistryStore(database);
            artifacts.write("default", "1/run/artifacts/model/model.bin", new ByteArrayInputStream(new byte[8 * 1024 * 1024]));
            store.createRegisteredModel("default", "big", Optional.empty(), List.of(), 1);
            store.createModelVersion("default", new NewModelVersion("big", "s", Optional.empty(), List.of(), ""),
                    "1/run/artifacts/model", "registry/first", "first-holder", Long.MAX_VALUE, 1);
            // Every reading of this clock is a quarter lease later (each read of the file renews); at its sixth, while the
            // file is being read, another server takes the copy over.
            Clock clock = new SteppingClock(6, () -> database.writeVoid(handle -> handle.createUpdate("""
                    UPDATE model_versions SET claim_owner = 'second-holder', storage_location = 'registry/second'
                    WHERE workspace = 'default' AND name = 'big' AND version = 1
                    """).execute()));

            try (RegistryStorage storage = new RegistryStorage(store, artifacts, clock, 0)) {
                storage.copyNow(new PendingCopy("default", "big", 1, "1/run/artifacts/model", "registry/first", "first-holder", null));
            }

            ModelVersion version = store.getModelVersion("default", "big", 1).orElseThrow();
            assertThat(version.status()).isEqualTo(ModelVersion.PENDING_REGISTRATION);
            assertThat(version.storageLocation()).isEqualTo("registry/second");
            try (Stream<Path> files = Files.walk(dataDir.resolve("artifacts"))) {
                assertThat(files.filter(Files::isRegularFile).map(Path::toString)).noneMatch(path -> path.contains("first"));
            }
        }
    }

    @Test
    void copyLeasesRunOnTheDatabaseClockNotOnTheServers() {
        try (Database database = Database.openSqlite(dataDir.resolve("atelier.db"))) {
            new JdbcWorkspaceStore(database).createWorkspace(new Workspace("default", "", Map.of(), 1, 1));
            ArtifactService artifacts = new ArtifactService(new LocalArtifactRepository(dataDir.resolve("artifacts")));
            JdbcRegistryStore store = new JdbcRegistryStore(database);
            store.createRegisteredModel("default", "m", Optional.empty(), List.of(), 1);
            // held by another server whose lease still runs for a minute on the database's clock
            store.createModelVersion("default", new NewModelVersion("m", "s", Optional.empty(), List.of(), ""),
                    "1/run/artifacts/model", "registry/held", "other-server", database.now() + 60_000, 1);
            // ... and one whose lease ran out a minute ago
            store.createModelVersion("default", new NewModelVersion("m", "s", Optional.empty(), List.of(), ""),
                    "1/run/artifacts/model", "registry/abandoned", "gone-server", database.now() - 60_000, 1);

            Clock aDayBehind = Clock.offset(Clock.systemUTC(), java.time.Duration.ofDays(-1));
            try (RegistryStorage storage = new RegistryStorage(store, artifacts, aDayBehind, 0)) {
                storage.sweep();
            }
            assertThat(store.getModelVersion("default", "m", 2).orElseThrow().storageLocation())
                    .as("a server whose clock runs behind takes over a lease that ran out").isNotEqualTo("registry/abandoned");

            Clock aDayAhead = Clock.offset(Clock.systemUTC(), java.time.Duration.ofDays(1));
            ArtifactService sameStore = new ArtifactService(new LocalArtifactRepository(dataDir.resolve("artifacts"))); // another server's
            try (RegistryStorage storage = new RegistryStorage(store, sameStore, aDayAhead, 0)) {
                storage.sweep();
            }
            assertThat(store.getModelVersion("default", "m", 1).orElseThrow().storageLocation())
                    .as("a server whose clock runs ahead leaves a lease that has not run out").isEqualTo("registry/held");
        }
    }

    /** A clock a quarter lease further at each reading, which runs {@code takeOver} at reading {@code at}. */
    private static final class SteppingClock extends Clock {
        private final AtomicLong readings = new AtomicLong();
        private final long at;
        private final Runnable takeOver;

        SteppingClock(long at, Runnable takeOver) {
            this.at = at;
            this.takeOver = takeOver;
        }

        @Override
        public long millis() {
            long reading = readings.incrementAndGet();
            if (reading == at) {
                takeOver.run();
            }
            return 1_000_000 + reading * (RegistryStorage.LEASE_MILLIS / 4);
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
