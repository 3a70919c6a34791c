package dev.atelier.server.testing;

import dev.atelier.server.store.Database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * One real PostgreSQL per test JVM (zonky's embedded binaries), started on first use and stopped
 * when the JVM exits; each caller gets a database of its own on it. Starting takes seconds, a new
 * database a few milliseconds, so test classes share the server and never each other's data.
 * Thread-safe.
 */
public final class EmbeddedPostgres {
    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

    private EmbeddedPostgres() {
    }

    /** Creates an empty database on the shared server and returns its JDBC URL (user postgres, no password). */
    public static String createDatabase() {
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres = server();
        String name = "t_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return postgres.getJdbcUrl("postgres", name);
    }

    /** Opens (and migrates) a new empty database on the shared server. */
    public static Database openFreshDatabase() {
        return Database.openPostgres(createDatabase(), null, null);
    }

    private static synchronized io.zonky.test.db.postgres.embedded.EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            }
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // The JVM is exiting; the data folder is temporary either way.
                }
            }, "embedded-postgres-stop"));
        }
        return server;
    }
}
