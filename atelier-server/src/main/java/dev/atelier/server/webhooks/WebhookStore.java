package dev.atelier.server.webhooks;

import java.util.List;
import java.util.Optional;

/** Where webhooks are kept, per workspace. Each call is one transaction. Implementations are thread-safe. */
public interface WebhookStore {
    void create(String workspace, Webhook webhook);

    Optional<Webhook> get(String workspace, String webhookId);

    /** {@code limit} webhooks from {@code offset}, oldest first (creation time, then id). */
    List<Webhook> list(String workspace, int offset, int limit);

    /** Every ACTIVE webhook of the workspace. */
    List<Webhook> active(String workspace);

    /** Replaces a webhook's fields; false when there is no such webhook. */
    boolean update(String workspace, Webhook webhook);

    boolean delete(String workspace, String webhookId);
}
