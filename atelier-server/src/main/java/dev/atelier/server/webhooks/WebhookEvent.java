package dev.atelier.server.webhooks;

import dev.atelier.api.AtelierException;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What a webhook subscribes to: an entity and an action, as MLflow's webhooks.proto names them ({@code MODEL_VERSION},
 * {@code CREATED}); only the pairs MLflow accepts exist. Written {@code model_version.created} in the payload and in
 * the store.
 */
public record WebhookEvent(Entity entity, Action action) {
    public enum Action { CREATED, UPDATED, DELETED, SET }

    public enum Entity {
        REGISTERED_MODEL(EnumSet.of(Action.CREATED)),
        MODEL_VERSION(EnumSet.of(Action.CREATED)),
        MODEL_VERSION_TAG(EnumSet.of(Action.SET, Action.DELETED)),
        MODEL_VERSION_ALIAS(EnumSet.of(Action.CREATED, Action.DELETED)),
        PROMPT(EnumSet.of(Action.CREATED)),
        PROMPT_VERSION(EnumSet.of(Action.CREATED)),
        PROMPT_TAG(EnumSet.of(Action.SET, Action.DELETED)),
        PROMPT_VERSION_TAG(EnumSet.of(Action.SET, Action.DELETED)),
        PROMPT_ALIAS(EnumSet.of(Action.CREATED, Action.DELETED));

        private final Set<Action> actions;

        Entity(Set<Action> actions) {
            this.actions = actions;
        }
    }

    public WebhookEvent {
        requireNonNull(entity, "entity is null");
        requireNonNull(action, "action is null");
        if (!entity.actions.contains(action)) {
            throw AtelierException.invalidParameter("Invalid action '" + lower(action) + "' for entity '" + lower(entity)
                    + "'. Valid actions are: " + entity.actions.stream().map(WebhookEvent::lower).sorted().toList());
        }
    }

    /** From the wire's {@code {"entity": "MODEL_VERSION", "action": "CREATED"}} (either case). */
    static WebhookEvent parse(String entity, String action) {
        return new WebhookEvent(value(Entity.class, "entity", entity), value(Action.class, "action", action));
    }

    /** From the stored {@code model_version.created}. */
    static WebhookEvent parse(String stored) {
        int dot = stored.indexOf('.');
        return parse(stored.substring(0, dot), stored.substring(dot + 1));
    }

    /** {@code model_version.created}. */
    @Override
    public String toString() {
        return lower(entity) + "." + lower(action);
    }

    /** MLflow's WebhookEvent message, fields in the proto's order. */
    Map<String, String> json() {
        Map<String, String> json = new java.util.LinkedHashMap<>();
        json.put("entity", entity.name());
        json.put("action", action.name());
        return json;
    }

    String entityName() {
        return lower(entity);
    }

    String actionName() {
        return lower(action);
    }

    private static <E extends Enum<E>> E value(Class<E> type, String field, String text) {
        if (text == null || text.isBlank()) {
            throw AtelierException.invalidParameter("Missing value for required parameter 'events." + field + "'");
        }
        try {
            return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw AtelierException.invalidParameter("Invalid value '" + text + "' for parameter 'events." + field + "': expected one of "
                    + java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).toList());
        }
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
