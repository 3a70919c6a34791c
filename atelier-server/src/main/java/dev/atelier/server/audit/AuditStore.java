package dev.atelier.server.audit;

import java.util.List;

/** Where audit events are kept. Implementations are thread-safe. */
public interface AuditStore {
    /** Writes {@code events} in one transaction. */
    void insertEvents(List<AuditEvent> events);

    /** Deletes the events older than {@code time} (epoch ms); returns how many. */
    long deleteEventsBefore(long time);

    /** Events matching {@code query}, newest first, with a token when more remain. */
    AuditPage searchEvents(AuditQuery query);
}
