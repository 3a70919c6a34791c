package dev.atelier.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;

/**
 * Where the server under test keeps its metadata: SQLite in its data directory (each start a new
 * file), a PostgreSQL URL given by the user, or an embedded PostgreSQL started here, on which each
 * start gets a new empty database. Embedded PostgreSQL runs with {@code synchronous_commit=on}, as
 * a production server does (zonky's default turns it off, which would flatter the figures).
 */
final class Databases implements AutoCloseable {
    private final Optional<String> givenUrl;
    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres embedded;

    private Databases(Optional<String> givenUrl, io.zonky.test.db.postgres.embedded.EmbeddedPostgres embedded) {
        this.givenUrl = givenUrl;
        this.embedded = embedded;
    }

    static Databases of(BenchOptions options) {
        if (!options.embeddedPostgres()) {
            return new Databases(options.databaseUrl(), null);
        }
        try {
            return new Databases(Optional.empty(), io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setServerConfig("synchronous_commit", "on")
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
    }

    /** A human name for the report. */
    String describe() {
        if (embedded != null) {
            return "PostgreSQL 18 (embedded, synchronous_commit=on)";
        }
        return givenUrl.map(url -> "PostgreSQL " + url.replaceAll("password=[^&]*", "password=***")).orElse("SQLite (default)");
    }

    /** The database URL for a new server start: a fresh database when embedded, empty for SQLite. */
    Optional<String> nextUrl() {
        if (embedded == null) {
            return givenUrl;
        }
        String name = "bench_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = embedded.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return Optional.of(embedded.getJdbcUrl("postgres", name));
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
