package dev.atelier.server.data;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.atelier.server.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** The datastore and data asset stores' contract, run on SQLite and on PostgreSQL by the subclasses. */
abstract class DataStoreContract {
    private Database database;
    private DataAssetStore assets;
    private DatastoreStore datastores;

    protected abstract Database openDatabase();

    @BeforeEach
    void open() {
        database = openDatabase();
        assets = new JdbcDataAssetStore(database);
        datastores = new JdbcDatastoreStore(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void versionsAreNumberedInOrderAndNeverReused() {
        assertThat(assets.createVersion("ws", version("a"), OptionalInt.empty())).map(DataVersion::version).contains(1);
        assertThat(assets.createVersion("ws", version("a"), OptionalInt.empty())).map(DataVersion::version).contains(2);
        assertThat(assets.createVersion("ws", version("a"), OptionalInt.of(2))).isEmpty();
        assertThat(assets.createVersion("ws", version("a"), OptionalInt.of(5))).map(DataVersion::version).contains(5);
        assertThat(assets.deleteVersion("ws", "a", 5)).isTrue();
        assertThat(assets.createVersion("ws", version("a"), OptionalInt.of(5))).isEmpty();
        assertThat(assets.createVersion("ws", version("a"), OptionalInt.empty())).map(DataVersion::version).contains(6);
        assertThat(assets.createVersion("other", version("a"), OptionalInt.empty())).map(DataVersion::version).contains(1);
    }

    @Test
    void storesEveryFieldAndFindsTheLatestActiveVersion() {
        DataVersion table = new DataVersion("t", 0, DataType.TABLE, "workspaceartifactstore", "uploads/t/x/t.csv", "desc",
                Map.of("k", "v"), "sha256:00", 42, 1, Optional.of(JsonNodeFactory.instance.objectNode().put("row_count", 3)),
                false, "alice", 1000);
        DataVersion stored = assets.createVersion("ws", table, OptionalInt.empty()).orElseThrow();
        assertThat(stored).isEqualTo(new DataVersion("t", 1, DataType.TABLE, "workspaceartifactstore", "uploads/t/x/t.csv",
                "desc", Map.of("k", "v"), "sha256:00", 42, 1, table.profile(), false, "alice", 1000));
        assets.createVersion("ws", version("t"), OptionalInt.empty());
        assertThat(assets.setArchived("ws", "t", 2, true)).isTrue();
        assertThat(assets.latestVersion("ws", "t")).map(DataVersion::version).contains(1);
        assertThat(assets.listVersions("ws", "t", false)).extracting(DataVersion::version).containsExactly(1);
        assertThat(assets.listVersions("ws", "t", true)).extracting(DataVersion::version).containsExactly(2, 1);
        assets.createVersion("ws", version("b"), OptionalInt.empty());
        assertThat(assets.listAssets("ws", false)).extracting(v -> v.name() + ":" + v.version()).containsExactly("b:1", "t:1");
        assertThat(assets.listAssets("ws", true)).extracting(v -> v.name() + ":" + v.version()).containsExactly("b:1", "t:2");
        assertThat(assets.datastoreInUse("ws", "workspaceartifactstore")).isTrue();
        assertThat(assets.datastoreInUse("ws", "other")).isFalse();
    }

    @Test
    void lineageIsRecordedOnceAndOutlivesTheVersion() {
        assets.createVersion("ws", version("d"), OptionalInt.empty());
        LineageRecord read = new LineageRecord("d", 1, "run1", LineageDirection.INPUT, "api", 10);
        assets.recordLineage("ws", read);
        assets.recordLineage("ws", new LineageRecord("d", 1, "run1", LineageDirection.INPUT, "job:2", 20));
        assets.recordLineage("ws", new LineageRecord("d", 1, "run2", LineageDirection.OUTPUT, "job:3", 30));
        assets.deleteVersion("ws", "d", 1);
        assertThat(assets.lineageOfVersion("ws", "d", 1)).extracting(LineageRecord::runId, LineageRecord::source)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("run1", "api"), org.assertj.core.groups.Tuple.tuple("run2", "job:3"));
        assertThat(assets.lineageOfRuns("ws", List.of("run2"))).extracting(LineageRecord::direction).containsExactly(LineageDirection.OUTPUT);
        assets.deleteWorkspace("ws");
        assertThat(assets.lineageOfVersion("ws", "d", 1)).isEmpty();
    }

    @Test
    void datastoresRoundTripTheirLocation() {
        Datastore s3 = new Datastore("lake", new Datastore.S3Bucket(Optional.of(URI.create("http://127.0.0.1:9000")), "eu-west-1",
                "bucket", "p/q", true, Optional.of("access"), Optional.of("secret")), "the lake", "bob", 5);
        Datastore local = new Datastore("raw", new Datastore.LocalFolder(Path.of("/srv/raw")), "", "bob", 6);
        assertThat(datastores.createDatastore("ws", s3)).isTrue();
        assertThat(datastores.createDatastore("ws", s3)).isFalse();
        assertThat(datastores.createDatastore("ws", local)).isTrue();
        assertThat(datastores.getDatastore("ws", "lake")).contains(s3);
        assertThat(datastores.listDatastores("ws")).containsExactly(s3, local);
        assertThat(datastores.deleteDatastore("ws", "lake")).isTrue();
        assertThat(datastores.deleteDatastore("ws", "lake")).isFalse();
        datastores.deleteWorkspace("ws");
        assertThat(datastores.listDatastores("ws")).isEmpty();
    }

    private static DataVersion version(String name) {
        return new DataVersion(name, 0, DataType.URI_FILE, "workspaceartifactstore", "uploads/" + name, "", Map.of(), "sha256:ab",
                1, 1, Optional.empty(), false, "test", 1);
    }
}
