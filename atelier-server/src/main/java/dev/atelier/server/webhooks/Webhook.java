package dev.atelier.server.webhooks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * An MLflow webhook of a workspace: where registry events are posted. Its signing secret is not here: it is the
 * workspace secret {@code secretName} (encrypted with the master key, docs/registry.md "Webhooks"), never answered.
 */
public record Webhook(String webhookId, String name, Optional<String> description, String url, List<WebhookEvent> events,
                      Status status, Optional<String> secretName, long creationTimestamp, long lastUpdatedTimestamp) {
    public enum Status { ACTIVE, DISABLED }

    public Webhook {
        requireNonNull(webhookId, "webhookId is null");
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(url, "url is null");
        events = List.copyOf(events);
        requireNonNull(status, "status is null");
        requireNonNull(secretName, "secretName is null");
    }

    /** MLflow's Webhook message. */
    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("webhook_id", webhookId);
        json.put("name", name);
        description.ifPresent(text -> json.put("description", text));
        json.put("url", url);
        json.put("events", events.stream().map(WebhookEvent::json).toList());
        json.put("status", status.name());
        json.put("creation_timestamp", creationTimestamp);
        json.put("last_updated_timestamp", lastUpdatedTimestamp);
        return json;
    }

    boolean subscribes(WebhookEvent event) {
        return status == Status.ACTIVE && events.contains(event);
    }
}
