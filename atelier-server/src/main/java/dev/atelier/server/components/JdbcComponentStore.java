package dev.atelier.server.components;

import dev.atelier.server.store.Database;

import static java.util.Objects.requireNonNull;

/** {@link ComponentStore} on the server's database. */
public final class JdbcComponentStore implements ComponentStore {
    private final Database database;

    public JdbcComponentStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }
}
