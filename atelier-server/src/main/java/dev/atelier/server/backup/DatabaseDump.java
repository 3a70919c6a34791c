package dev.atelier.server.backup;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.compute.local.HostTools;
import dev.atelier.server.store.Database;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A consistent copy of the metadata database taken while the server runs. SQLite: {@code VACUUM INTO}, one read
 * transaction, so writes go on meanwhile and the copy is the database as of its start. PostgreSQL: {@code pg_dump
 * --format=custom} (one repeatable-read snapshot), which must be on the server's {@code PATH}; without it the backup is
 * refused rather than written by hand. {@link #restorePostgres} is the other half ({@code pg_restore}); both tools are
 * started through compute's {@link HostTools}. Stateless.
 */
final class DatabaseDump {
    /** The file name of each kind of dump in a backup. */
    static final String SQLITE_FILE = "atelier.db";
    static final String POSTGRES_FILE = "atelier.pgdump";

    private DatabaseDump() {
    }

    /** Writes the dump into {@code folder} and returns its file. */
    static Path dump(Database database, Optional<String> jdbcUrl, Path folder) {
        return switch (database.dialect()) {
            case SQLITE -> {
                Path file = folder.resolve(SQLITE_FILE);
                database.read(handle -> handle.execute("VACUUM INTO '" + file.toAbsolutePath().toString().replace("'", "''") + "'"));
                yield file;
            }
            case POSTGRESQL -> {
                Path file = folder.resolve(POSTGRES_FILE);
                Connection connection = Connection.parse(jdbcUrl.orElseThrow(() -> new IllegalStateException("no database URL")));
                List<String> command = new ArrayList<>(List.of("pg_dump", "--format=custom", "--no-owner", "--file", file.toString()));
                command.addAll(connection.arguments());
                run(command, connection, "pg_dump");
                yield file;
            }
        };
    }

    /** Loads a {@code pg_dump} file into the (empty) database {@code jdbcUrl} names, with {@code pg_restore}. */
    static void restorePostgres(Path dump, String jdbcUrl) {
        Connection connection = Connection.parse(jdbcUrl);
        List<String> command = new ArrayList<>(List.of("pg_restore", "--no-owner", "--exit-on-error"));
        command.addAll(connection.arguments());
        command.add(dump.toString());
        run(command, connection, "pg_restore");
    }

    private static void run(List<String> command, Connection connection, String tool) {
        try {
            HostTools.Result result = HostTools.run(command, connection.password().map(password -> Map.of("PGPASSWORD", password))
                    .orElse(Map.of()));
            if (result.exit() != 0) {
                throw new AtelierException(ErrorCode.INTERNAL_ERROR, tool + " failed (exit " + result.exit() + "): "
                        + result.output().strip());
            }
        } catch (IOException e) {
            throw new AtelierException(ErrorCode.INVALID_STATE, tool + " is needed to back up or restore a PostgreSQL database "
                    + "and could not be started (" + e.getMessage() + "): install PostgreSQL's client tools (Debian: "
                    + "postgresql-client) on the server's host");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AtelierException(ErrorCode.INTERNAL_ERROR, tool + " was interrupted");
        }
    }

    /** The parts of a {@code jdbc:postgresql://host:port/db?user=..&password=..} URL that libpq's tools take. */
    record Connection(String host, int port, String database, Optional<String> user, Optional<String> password) {
        static Connection parse(String jdbcUrl) {
            if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException("not a jdbc:postgresql:// URL");
            }
            URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
            Map<String, String> query = new LinkedHashMap<>();
            if (uri.getRawQuery() != null) {
                for (String pair : uri.getRawQuery().split("&")) {
                    int equals = pair.indexOf('=');
                    if (equals > 0) {
                        query.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                    }
                }
            }
            String path = uri.getPath() == null ? "" : uri.getPath();
            return new Connection(uri.getHost() == null ? "localhost" : uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(),
                    path.startsWith("/") ? path.substring(1) : path, Optional.ofNullable(query.get("user")),
                    Optional.ofNullable(query.get("password")));
        }

        List<String> arguments() {
            List<String> arguments = new ArrayList<>(List.of("--host", host, "--port", Integer.toString(port), "--dbname", database));
            user.ifPresent(name -> arguments.addAll(List.of("--username", name)));
            arguments.add("--no-password");
            return arguments;
        }
    }

    static void deleteIfExists(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file left behind in the temporary folder
        }
    }
}
