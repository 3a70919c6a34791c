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

    /**
     * Backs the running server up to {@code to}: an absolute folder on the server's host (new or empty) or
     * {@code s3://bucket/prefix} when its artifact store is S3. The master key is copied only with
     * {@code includeMasterKey}. Answers the backup's manifest ({@code database}, {@code artifacts}, {@code master_key},
     * {@code files}, {@code bytes}, {@code created_at}, {@code to}); docs/operations.md, "Backup and restore".
     */
    public com.fasterxml.jackson.databind.JsonNode backup(String to, boolean includeMasterKey) {
        requireNonNull(to, "to is null");
        return transport.post("/api/v1/admin/backup", HttpTransport.mapper().createObjectNode().put("to", to)
                .put("include_master_key", includeMasterKey));
    }

    /** The audit log of every workspace; {@link AuditQuery#workspace()} narrows it to one. */
    public AuditClient audit() {
        return audit;
    }
}
