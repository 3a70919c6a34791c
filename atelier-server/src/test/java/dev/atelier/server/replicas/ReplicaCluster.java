package dev.atelier.server.replicas;

import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.S3ProxyServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Several Atelier servers sharing one database and one artifact store, behind a load balancer, as a team runs them
 * in production: a PostgreSQL of its own (zonky's embedded binaries, on a fixed port and data folder so that a test
 * can stop and start it again), S3Proxy (likewise restartable on its port), {@code n} server processes
 * ({@link Replica}) and a {@link RoundRobinBalancer}. Starting it costs a few seconds of three JVMs: test classes
 * share one per class. Not thread-safe for its own start and stop; the servers it runs are used from any thread.
 */
public final class ReplicaCluster implements AutoCloseable {
    private static final String BUCKET = "atelier";
    /** One master key for every server: each decrypts the secrets (endpoint keys, datastore credentials) another wrote. */
    private static final String MASTER_KEY = masterKey();

    private final Path root;
    private final int postgresPort;
    private final int s3Port;
    private final long jobLeaseMillis;
    private EmbeddedPostgres postgres;
    private S3ProxyServer s3;
    private final List<Replica> replicas = new ArrayList<>();
    private final RoundRobinBalancer balancer = new RoundRobinBalancer();

    private ReplicaCluster(Path root, long jobLeaseMillis) {
        this.root = root;
        this.jobLeaseMillis = jobLeaseMillis;
        this.postgresPort = freePort();
        this.s3Port = freePort();
    }

    /** Starts the database, the artifact store, {@code servers} servers (in parallel) and the balancer. */
    public static ReplicaCluster start(int servers, long jobLeaseMillis) {
        ReplicaCluster cluster;
        try {
            cluster = new ReplicaCluster(Files.createTempDirectory("atelier-replicas"), jobLeaseMillis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            cluster.startPostgres();
            cluster.createDatabase();
            Files.createDirectories(cluster.root.resolve("s3"));
            cluster.startS3();
            cluster.s3.createBucket(BUCKET, "");
            List<CompletableFuture<Replica>> starting = new ArrayList<>();
            for (int i = 0; i < servers; i++) {
                starting.add(Replica.start(cluster.root.resolve("server-" + i), cluster.databaseUrl(), "s3://" + BUCKET + "/artifacts",
                        Map.of("ATELIER_S3_ENDPOINT", "http://127.0.0.1:" + cluster.s3Port, "ATELIER_MASTER_KEY", MASTER_KEY,
                                "AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY),
                        jobLeaseMillis));
                if (i == 0) {
                    cluster.replicas.add(starting.removeFirst().join());  // the first one migrates the schema alone
                }
            }
            starting.forEach(replica -> cluster.replicas.add(replica.join()));
            cluster.replicas.forEach(replica -> cluster.balancer.add(replica.url()));
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().setPort(postgresPort).setDataDirectory(root.resolve("postgres"))
                .setCleanDataDirectory(false).start();
    }

    private void startS3() {
        s3 = S3ProxyServer.start(root.resolve("s3"), s3Port);
    }

    private void createDatabase() {
        try (Connection connection = DriverManager.getConnection(adminUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE atelier");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database: " + e.getMessage(), e);
        }
    }

    private String adminUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres?user=postgres";
    }

    public String databaseUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/atelier?user=postgres";
    }

    /** A connection to the servers' database, for checks the API does not offer (who holds a job's lease). */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(databaseUrl());
    }

    /** Stops PostgreSQL (its clients' connections break); {@link #startPostgres()} again on the same port and data. */
    public void stopPostgres() {
        try {
            postgres.close();
            postgres = null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void restartPostgres() {
        try {
            startPostgres();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops S3Proxy: connections to the artifact store are refused until {@link #restartS3()}. */
    public void stopS3() {
        s3.close();
        s3 = null;
    }

    public void restartS3() {
        startS3();
    }

    public List<Replica> replicas() {
        return List.copyOf(replicas);
    }

    public RoundRobinBalancer balancer() {
        return balancer;
    }

    /** A client of the balancer, as users reach the servers. */
    public HttpJson http() {
        return new HttpJson(balancer.url());
    }

    public Path root() {
        return root;
    }

    private static String masterKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        balancer.close();
        replicas.forEach(Replica::close);
        if (s3 != null) {
            s3.close();
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                // the data folder is temporary either way
            }
        }
    }
}
