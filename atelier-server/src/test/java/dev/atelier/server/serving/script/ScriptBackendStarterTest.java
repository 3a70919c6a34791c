package dev.atelier.server.serving.script;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.compute.local.LocalCompute;
import dev.atelier.server.compute.local.LocalServices;
import dev.atelier.server.environments.EnvironmentKind;
import dev.atelier.server.environments.EnvironmentService;
import dev.atelier.server.environments.JdbcEnvironmentStore;
import dev.atelier.server.serving.BackendStarter.StartRequest;
import dev.atelier.server.serving.DeploymentBackend;
import dev.atelier.server.serving.DeploymentSpec;
import dev.atelier.server.serving.protocol.ScoringProtocol;
import dev.atelier.server.snapshots.SnapshotFile;
import dev.atelier.server.snapshots.SnapshotService;
import dev.atelier.server.store.Database;
import dev.atelier.server.testing.RequiredTool;
import dev.atelier.server.workspace.JdbcWorkspaceStore;
import dev.atelier.server.workspace.WorkspaceService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.atelier.server.serving.script.ScriptWorkersTest.call;
import static dev.atelier.server.serving.script.ScriptWorkersTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The starter against real snapshot and environment services on SQLite, with real Python workers. */
class ScriptBackendStarterTest {
    static final String WORKSPACE = "default";

    @TempDir
    Path dir;
    Database database;
    SnapshotService snapshots;
    EnvironmentService environments;
    ScriptBackendStarter starter;

    @BeforeEach
    void services() {
        RequiredTool.require(ScriptWorkersTest.hasPython(), "python3 on " + LocalCompute.PATH);
        database = Database.openSqlite(dir.resolve("atelier.db"));
        new WorkspaceService(new JdbcWorkspaceStore(database), Clock.systemUTC()).ensureDefault();
        snapshots = new SnapshotService(database, dir.resolve("blobs"), 1 << 20, Clock.systemUTC());
        environments = new EnvironmentService(new JdbcEnvironmentStore(database), Clock.systemUTC());
        LocalServices services = new LocalServices(ScriptWorkersTest.localCompute(dir), dir.resolve("work-root").resolve("services"));
        starter = new ScriptBackendStarter(snapshots, environments, (workspace, compute) -> services::serve, Duration.ofSeconds(30));
    }

    @AfterEach
    void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void startsTheCodeSnapshotWithTheEnvironmentsPythonOnTheCopiedModel() throws IOException {
        environments.create(WORKSPACE, "py", EnvironmentKind.PROCESS, Optional.of("python3"), Optional.empty(), Optional.empty(),
                Optional.empty(), "tester");
        Path work = dir.resolve("work");
        Files.createDirectories(work.resolve("model"));
        Files.writeString(work.resolve("model").resolve("factor.txt"), "3");
        try (DeploymentBackend backend = starter.start(request(work, Optional.of("py:1")))) {
            assertThat(backend.ready()).isTrue();
            assertThat(json(backend.score(call(ScoringProtocol.MLFLOW_INVOCATIONS, "{\"data\": [2]}"))))
                    .isEqualTo(json("{\"predictions\": [6.0]}"));
            assertThat(backend.logs(20)).anyMatch(line -> line.contains("for deployment ep/blue"));
        }
        assertThat(work.resolve("code").resolve("score.py")).exists();
    }

    @Test
    void anImageEnvironmentIsRejectedForLocalWorkers() {
        environments.create(WORKSPACE, "img", EnvironmentKind.IMAGE, Optional.empty(), Optional.of("python:3.12-slim"), Optional.empty(),
                Optional.empty(), "tester");
        assertThatThrownBy(() -> starter.start(request(dir.resolve("work"), Optional.of("img:1"))))
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageContaining("process environment");
    }

    StartRequest request(Path work, Optional<String> environment) {
        String snapshot = snapshot("score.py", ScriptWorkersTest.SCORE);
        DeploymentSpec spec = new DeploymentSpec("models:/m/1", "m", "1", Optional.of(snapshot), Optional.of("score.py"), environment,
                "local", 1, DeploymentSpec.RequestSettings.DEFAULTS, Map.of(), DeploymentSpec.DataCollector.OFF, "");
        return new StartRequest(WORKSPACE, "ep", "blue", 1, spec, work);
    }

    String snapshot(String path, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String sha256 = sha256(bytes);
        snapshots.putBlob(WORKSPACE, sha256, new ByteArrayInputStream(bytes), bytes.length);
        return snapshots.create(WORKSPACE, List.of(new SnapshotFile(path, sha256, bytes.length))).snapshotId();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
