package dev.atelier.server.audit;

import java.util.List;

/** Where audit events are kept. Implementations are thread-safe. */
public interface AuditStore {
    /** Writes {@code events} in one transaction. */
    void insertEvents(List<AuditEvent> events);

    /** Events matching {@code query}, newest first, with a token when more remain. */
    AuditPage searchEvents(AuditQuery query);
}
