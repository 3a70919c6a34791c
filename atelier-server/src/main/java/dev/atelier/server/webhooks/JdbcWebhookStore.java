package dev.atelier.server.webhooks;

import dev.atelier.server.store.Database;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link WebhookStore} on SQLite or PostgreSQL (V27). Events are kept as {@code entity.action} joined by commas. Thread-safe. */
public final class JdbcWebhookStore implements WebhookStore {
    private static final String COLUMNS = "webhook_id, name, description, url, events, status, secret_name, creation_timestamp, "
            + "last_updated_timestamp";
    private static final RowMapper<Webhook> ROW = (rs, ctx) -> new Webhook(rs.getString(1), rs.getString(2),
            Optional.ofNullable(rs.getString(3)), rs.getString(4),
            Arrays.stream(rs.getString(5).split(",")).map(WebhookEvent::parse).toList(), Webhook.Status.valueOf(rs.getString(6)),
            Optional.ofNullable(rs.getString(7)), rs.getLong(8), rs.getLong(9));

    private final Database database;

    public JdbcWebhookStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public void create(String workspace, Webhook webhook) {
        database.writeVoid(handle -> handle.createUpdate("INSERT INTO webhooks (workspace, " + COLUMNS + ") "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, workspace).bind(1, webhook.webhookId()).bind(2, webhook.name()).bind(3, webhook.description().orElse(null))
                .bind(4, webhook.url()).bind(5, events(webhook)).bind(6, webhook.status().name()).bind(7, webhook.secretName().orElse(null))
                .bind(8, webhook.creationTimestamp()).bind(9, webhook.lastUpdatedTimestamp()).execute());
    }

    @Override
    public Optional<Webhook> get(String workspace, String webhookId) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM webhooks WHERE workspace = ? AND webhook_id = ?")
                .bind(0, workspace).bind(1, webhookId).map(ROW).findOne());
    }

    @Override
    public List<Webhook> list(String workspace, int offset, int limit) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM webhooks WHERE workspace = ? "
                        + "ORDER BY creation_timestamp, webhook_id LIMIT ? OFFSET ?")
                .bind(0, workspace).bind(1, limit).bind(2, offset).map(ROW).list());
    }

    @Override
    public List<Webhook> active(String workspace) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM webhooks WHERE workspace = ? AND status = 'ACTIVE' "
                        + "ORDER BY creation_timestamp, webhook_id")
                .bind(0, workspace).map(ROW).list());
    }

    @Override
    public boolean update(String workspace, Webhook webhook) {
        return database.write(handle -> handle.createUpdate("UPDATE webhooks SET name = ?, description = ?, url = ?, events = ?, "
                        + "status = ?, secret_name = ?, last_updated_timestamp = ? WHERE workspace = ? AND webhook_id = ?")
                .bind(0, webhook.name()).bind(1, webhook.description().orElse(null)).bind(2, webhook.url()).bind(3, events(webhook))
                .bind(4, webhook.status().name()).bind(5, webhook.secretName().orElse(null)).bind(6, webhook.lastUpdatedTimestamp())
                .bind(7, workspace).bind(8, webhook.webhookId()).execute()) == 1;
    }

    @Override
    public boolean delete(String workspace, String webhookId) {
        return database.write(handle -> handle.createUpdate("DELETE FROM webhooks WHERE workspace = ? AND webhook_id = ?")
                .bind(0, workspace).bind(1, webhookId).execute()) == 1;
    }

    private static String events(Webhook webhook) {
        return String.join(",", webhook.events().stream().map(WebhookEvent::toString).toList());
    }
}
