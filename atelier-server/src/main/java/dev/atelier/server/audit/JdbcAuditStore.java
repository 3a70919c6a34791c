package dev.atelier.server.audit;

import dev.atelier.server.store.Database;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** {@link AuditStore} on SQLite or PostgreSQL. Thread-safe. */
public final class JdbcAuditStore implements AuditStore {
    private final Database database;

    public JdbcAuditStore(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public void insertEvents(List<AuditEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        database.writeVoid(handle -> {
            PreparedBatch batch = handle.prepareBatch("""
                    INSERT INTO audit_events (event_id, event_time, principal, workspace, action, target, outcome, status,
                                              client_address)
                    VALUES (:id, :time, :principal, :workspace, :action, :target, :outcome, :status, :clientAddress)
                    """);
            for (AuditEvent event : events) {
                batch.bind("id", event.id())
                        .bind("time", event.time())
                        .bind("principal", event.principal())
                        .bind("workspace", event.workspace())
                        .bind("action", event.action())
                        .bind("target", event.target())
                        .bind("outcome", event.outcome().wireName())
                        .bind("status", event.status())
                        .bind("clientAddress", event.clientAddress())
                        .add();
            }
            batch.execute();
        });
    }

    @Override
    public long deleteEventsBefore(long time) {
        return database.write(handle -> handle.createUpdate("DELETE FROM audit_events WHERE event_time < :time")
                .bind("time", time)
                .execute());
    }

    @Override
    public AuditPage searchEvents(AuditQuery query) {
        List<String> conditions = new ArrayList<>();
        query.workspace().ifPresent(workspace -> conditions.add("workspace = :workspace"));
        query.principal().ifPresent(principal -> conditions.add("principal = :principal"));
        query.since().ifPresent(since -> conditions.add("event_time >= :since"));
        query.until().ifPresent(until -> conditions.add("event_time < :until"));
        query.after().ifPresent(after -> conditions.add("(event_time < :afterTime OR (event_time = :afterTime AND event_id < :afterId))"));
        String sql = "SELECT event_id, event_time, principal, workspace, action, target, outcome, status, client_address"
                + " FROM audit_events"
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " ORDER BY event_time DESC, event_id DESC LIMIT :limit";
        List<AuditEvent> events = database.read(handle -> {
            Query select = handle.createQuery(sql).bind("limit", query.maxResults() + 1);
            query.workspace().ifPresent(workspace -> select.bind("workspace", workspace));
            query.principal().ifPresent(principal -> select.bind("principal", principal));
            query.since().ifPresent(since -> select.bind("since", since));
            query.until().ifPresent(until -> select.bind("until", until));
            query.after().ifPresent(after -> select.bind("afterTime", after.time()).bind("afterId", after.id()));
            return select.map((rs, ctx) -> new AuditEvent(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), AuditOutcome.fromWireName(rs.getString(7)), rs.getInt(8), rs.getString(9)))
                    .list();
        });
        if (events.size() <= query.maxResults()) {
            return new AuditPage(events, null);
        }
        List<AuditEvent> page = events.subList(0, query.maxResults());
        AuditEvent last = page.get(page.size() - 1);
        return new AuditPage(page, new AuditPageToken(last.time(), last.id()).encode());
    }
}
