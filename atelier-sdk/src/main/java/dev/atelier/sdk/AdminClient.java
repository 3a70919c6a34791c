package dev.atelier.sdk;

import static java.util.Objects.requireNonNull;

/**
 * Server-wide operations that need a server admin. Thread-safe. Methods throw
 * {@link dev.atelier.api.AtelierException} ({@code PERMISSION_DENIED} for anyone else) and
 * {@link ServerUnreachableException}.
 */
public final class AdminClient {
    private final HttpTransport transport;
    private final AuditClient audit;

    AdminClient(HttpTransport transport) {
        this.transport = requireNonNull(transport, "transport is null");
        this.audit = new AuditClient(transport, "/api/v1/admin/audit", true);
    }

    /**
     * Replaces the master key and re-encrypts every secret under the new one, in one transaction;
     * returns how many secrets were re-encrypted. Refused ({@code INVALID_STATE}) when the server
     * takes its key from {@code ATELIER_MASTER_KEY}.
     */
    public long rotateMasterKey() {
        return JsonFields.longValue(transport.post("/api/v1/admin/rotate-master-key", HttpTransport.mapper().createObjectNode()),
                "secrets");
    }

    /** The audit log of every workspace; {@link AuditQuery#workspace()} narrows it to one. */
    public AuditClient audit() {
        return audit;
    }
}
