package dev.atelier.server.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.RequiredTool;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A PostgreSQL backup and restore with tools that match the server: Debian's PostgreSQL server (package
 * {@code postgresql}), started by this test, and the {@code pg_dump} and {@code pg_restore} of the same installation on
 * the {@code PATH} (the embedded PostgreSQL of the other tests is newer than Debian's client tools and ships none).
 * A server on one database backs up while it runs; the dump is restored into a new empty database, and a server there
 * reads the run back.
 */
class PostgresBackupTest {
    private Process postgres;
    private Path cluster;

    @AfterEach
    void stop() throws Exception {
        if (postgres != null) {
            postgres.destroy();
            postgres.waitFor(20, TimeUnit.SECONDS);
        }
        if (cluster != null) {
            try (Stream<Path> files = Files.walk(cluster)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void aPostgresBackupRestoresIntoANewDatabase() throws Exception {
        Optional<Path> bin = debianPostgres();
        RequiredTool.require(bin.isPresent() && onPath("pg_dump") && onPath("pg_restore"),
                "Debian's PostgreSQL server and client tools (apt-get install postgresql)");
        int port = freePort();
        start(bin.get(), port);
        String source = createDatabase(port, "atelier_source");
        String target = createDatabase(port, "atelier_restored");

        Path temp = Files.createTempDirectory("atelier-pg-backup");
        String runId;
        try (TestServer server = TestServer.start(ServerConfig.forTests(temp.resolve("original")).withDatabaseUrl(source))) {
            HttpJson http = server.http();
            String experimentId = ok(http.post("/api/2.0/mlflow/experiments/create", Map.of("name", "churn"))).json()
                    .get("experiment_id").asText();
            runId = ok(http.post("/api/2.0/mlflow/runs/create", Map.of("experiment_id", experimentId, "run_name", "train")))
                    .json().at("/run/info/run_id").asText();
            ok(http.post("/api/2.0/mlflow/runs/log-batch", Map.of("run_id", runId,
                    "params", List.of(Map.of("key", "learning_rate", "value", "0.1")),
                    "metrics", List.of(Map.of("key", "auc", "value", 0.91, "timestamp", 1, "step", 0)))));
            JsonNode manifest = ok(http.post("/api/v1/admin/backup", Map.of("to", temp.resolve("backup").toString(),
                    "include_master_key", true))).json();
            assertThat(manifest.get("database").asText()).isEqualTo("postgresql");
        }
        assertThat(temp.resolve("backup").resolve(DatabaseDump.POSTGRES_FILE)).isNotEmptyFile();

        Restore.restore(temp.resolve("backup"), temp.resolve("restored"), Optional.empty(), Optional.of(target));
        try (TestServer server = TestServer.start(ServerConfig.forTests(temp.resolve("restored")).withDatabaseUrl(target))) {
            JsonNode run = ok(server.http().get("/api/2.0/mlflow/runs/get?run_id=" + runId)).json().get("run");
            assertThat(run.at("/data/params/0/value").asText()).isEqualTo("0.1");
            assertThat(run.at("/data/metrics").toString()).contains("\"auc\"").contains("0.91");
        }
    }

    /** The newest Debian PostgreSQL server installed, when there is one. */
    private static Optional<Path> debianPostgres() throws IOException {
        Path versions = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(versions)) {
            return Optional.empty();
        }
        try (Stream<Path> list = Files.list(versions)) {
            return list.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("postgres")) && Files.isExecutable(bin.resolve("initdb")))
                    .max(Comparator.comparing(bin -> Integer.parseInt(bin.getParent().getFileName().toString().replaceAll("\\D", "0"))));
        }
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(folder -> !folder.isEmpty() && Files.isExecutable(Path.of(folder, tool)));
    }

    /** initdb and postgres on 127.0.0.1:port; PostgreSQL refuses to run as root, so as nobody then. */
    private void start(Path bin, int port) throws Exception {
        cluster = Files.createTempDirectory("atelier-pg-cluster");
        Files.setPosixFilePermissions(cluster, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = cluster.resolve("data");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            Files.createDirectories(data);
            Files.setAttribute(data, "unix:uid", 65534);
            Files.setAttribute(data, "unix:gid", 65534);
        }
        run(asUser(root, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                "--no-sync", "-E", "UTF8")), 120);
        List<String> server = asUser(root, List.of(bin.resolve("postgres").toString(), "-D", data.toString(), "-p",
                Integer.toString(port), "-k", data.toString(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"));
        postgres = new ProcessBuilder(server).redirectErrorStream(true).redirectOutput(cluster.resolve("postgres.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres")) {
                if (connection.isValid(5)) {
                    return;
                }
            } catch (SQLException e) {
                assertThat(postgres.isAlive()).as("postgres runs: " + Files.readString(cluster.resolve("postgres.log"))).isTrue();
                assertThat(System.nanoTime()).as("postgres accepts connections").isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    private static List<String> asUser(boolean root, List<String> command) {
        if (!root) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static void run(List<String> command, int seconds) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }

    private static String createDatabase(int port, String name) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres")) {
            try (var statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + name);
            }
        }
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name + "?user=postgres";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static HttpJson.Response ok(HttpJson.Response response) {
        assertThat(response.status()).as(response.text()).isBetween(200, 201);
        return response;
    }
}
