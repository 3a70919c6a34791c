package dev.atelier.server.webhooks;

import dev.atelier.api.AtelierException;
import dev.atelier.server.data.EndpointAllowList;
import dev.atelier.server.registry.RegisteredModel;
import dev.atelier.server.registry.RegistryEvent;
import dev.atelier.server.registry.RegistryEvents;
import dev.atelier.server.registry.RegistryService;
import dev.atelier.server.secrets.SecretService;
import dev.atelier.server.tracking.Page;
import dev.atelier.server.tracking.PageToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * MLflow's webhooks (webhooks.proto): CRUD and test per workspace, and delivery of the registry's events
 * ({@link RegistryEvents}) to every ACTIVE webhook subscribed to them, off the request's thread (one virtual thread per
 * delivery, retried by {@link WebhookDelivery}). A prompt's changes are prompt events, as in MLflow. A webhook's
 * signing secret is kept as the workspace secret {@code mlflow-webhook-<id>}. Thread-safe.
 */
public final class WebhookService implements RegistryEvents, AutoCloseable {
    static final String SECRET_PREFIX = "mlflow-webhook-";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookService.class);
    private static final String PROMPT_TAG = "mlflow.prompt.is_prompt";
    private static final String PROMPT_TEXT_TAG = "mlflow.prompt.text";
    private static final int MAX_NAME = 256;

    private final WebhookStore store;
    private final RegistryService registry;
    private final SecretService secrets;
    private final WebhookDelivery delivery;
    private final Clock clock;
    private final ExecutorService deliveries = Executors.newVirtualThreadPerTaskExecutor();

    public WebhookService(WebhookStore store, RegistryService registry, SecretService secrets, EndpointAllowList allowed, Clock clock) {
        this(store, registry, secrets, allowed, clock, Duration.ofSeconds(1));
    }

    WebhookService(WebhookStore store, RegistryService registry, SecretService secrets, EndpointAllowList allowed, Clock clock,
                   Duration firstBackoff) {
        this.store = requireNonNull(store, "store is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.delivery = new WebhookDelivery(allowed, clock, firstBackoff);
    }

    public Webhook create(String workspace, String name, Optional<String> description, String url, List<WebhookEvent> events,
                          Optional<String> secret, Optional<Webhook.Status> status, String createdBy) {
        String id = UUID.randomUUID().toString().replace("-", "");
        delivery.check("url", url);
        long now = clock.millis();
        Webhook webhook = new Webhook(id, validName(name), description.filter(text -> !text.isEmpty()), url.strip(), validEvents(events),
                status.orElse(Webhook.Status.ACTIVE), secret.filter(text -> !text.isEmpty()).map(value -> SECRET_PREFIX + id), now, now);
        secret.filter(text -> !text.isEmpty()).ifPresent(value -> secrets.create(workspace, SECRET_PREFIX + id, value,
                Optional.of("Signing secret of MLflow webhook '" + webhook.name() + "'"), createdBy));
        store.create(workspace, webhook);
        return webhook;
    }

    public Webhook get(String workspace, String webhookId) {
        return store.get(workspace, webhookId).orElseThrow(() -> AtelierException.notFound("Webhook with ID " + webhookId + " not found"));
    }

    public Page<Webhook> list(String workspace, Optional<Integer> maxResults, Optional<String> pageToken) {
        int limit = maxResults.orElse(100);
        if (limit < 1 || limit > 1000) {
            throw AtelierException.invalidParameter("Invalid value " + limit + " for parameter 'max_results': expected 1 to 1000");
        }
        int offset = PageToken.decodeOffset(pageToken);
        List<Webhook> page = store.list(workspace, offset, limit + 1);
        return new Page<>(page.subList(0, Math.min(limit, page.size())),
                page.size() > limit ? Optional.of(PageToken.encode(offset + limit)) : Optional.empty());
    }

    /** Changes the fields given; an empty {@code secret} removes the signing secret. */
    public Webhook update(String workspace, String webhookId, Optional<String> name, Optional<String> description, Optional<String> url,
                          Optional<List<WebhookEvent>> events, Optional<String> secret, Optional<Webhook.Status> status, String updatedBy) {
        Webhook old = get(workspace, webhookId);
        url.ifPresent(value -> delivery.check("url", value));
        Optional<String> secretName = secret.isEmpty() ? old.secretName()
                : secret.get().isEmpty() ? Optional.empty() : Optional.of(SECRET_PREFIX + webhookId);
        Webhook updated = new Webhook(webhookId, name.map(WebhookService::validName).orElse(old.name()),
                description.isPresent() ? description.filter(text -> !text.isEmpty()) : old.description(),
                url.map(String::strip).orElse(old.url()), events.map(WebhookService::validEvents).orElse(old.events()),
                status.orElse(old.status()), secretName, old.creationTimestamp(), clock.millis());
        secret.ifPresent(value -> {
            if (value.isEmpty()) {
                old.secretName().ifPresent(stored -> secrets.delete(workspace, stored));
            } else if (old.secretName().isPresent()) {
                secrets.update(workspace, old.secretName().get(), value, Optional.empty(), updatedBy);
            } else {
                secrets.create(workspace, SECRET_PREFIX + webhookId, value,
                        Optional.of("Signing secret of MLflow webhook '" + updated.name() + "'"), updatedBy);
            }
        });
        if (!store.update(workspace, updated)) {
            throw AtelierException.notFound("Webhook with ID " + webhookId + " not found");
        }
        return updated;
    }

    public void delete(String workspace, String webhookId) {
        Webhook webhook = get(workspace, webhookId);
        if (!store.delete(workspace, webhookId)) {
            throw AtelierException.notFound("Webhook with ID " + webhookId + " not found");
        }
        webhook.secretName().ifPresent(name -> secrets.delete(workspace, name));
    }

    /** Posts MLflow's example payload of {@code event} (default: the webhook's first event) and answers how it went. */
    public WebhookDelivery.Result test(String workspace, String webhookId, Optional<WebhookEvent> event) {
        Webhook webhook = get(workspace, webhookId);
        WebhookEvent tested = event.orElse(webhook.events().getFirst());
        return delivery.deliver(webhook, secret(workspace, webhook), tested, example(tested));
    }

    @Override
    public void published(String workspace, RegistryEvent event) {
        try {
            List<Webhook> active = store.active(workspace);
            if (active.isEmpty()) {
                return;
            }
            boolean prompt = switch (event) {
                case RegistryEvent.ModelCreated created -> "true".equalsIgnoreCase(created.tags().get(PROMPT_TAG));
                default -> isPrompt(workspace, event.model());
            };
            Optional<Map.Entry<WebhookEvent, Map<String, Object>>> mapped = map(event, prompt);
            if (mapped.isEmpty()) {
                return;
            }
            WebhookEvent kind = mapped.get().getKey();
            for (Webhook webhook : active) {
                if (webhook.subscribes(kind)) {
                    deliveries.submit(() -> delivery.deliver(webhook, secret(workspace, webhook), kind, mapped.get().getValue()));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Webhooks of workspace {} not told of {}: {}", workspace, event, e.toString());
        }
    }

    @Override
    public void close() {
        deliveries.shutdown();
        try {
            deliveries.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deliveries.shutdownNow();
    }

    private boolean isPrompt(String workspace, String model) {
        RegisteredModel registered = registry.getRegisteredModel(workspace, model);
        return registered.tags().stream().anyMatch(tag -> tag.key().equals(PROMPT_TAG) && "true".equalsIgnoreCase(tag.value()));
    }

    private Optional<String> secret(String workspace, Webhook webhook) {
        return webhook.secretName().map(name -> secrets.resolve(workspace, name, "webhook:" + webhook.webhookId()));
    }

    /** The MLflow event and payload of a registry change; a plain model's tag change is no event. */
    static Optional<Map.Entry<WebhookEvent, Map<String, Object>>> map(RegistryEvent event, boolean prompt) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", event.model());
        WebhookEvent.Entity entity;
        WebhookEvent.Action action;
        switch (event) {
            case RegistryEvent.ModelCreated created -> {
                entity = prompt ? WebhookEvent.Entity.PROMPT : WebhookEvent.Entity.REGISTERED_MODEL;
                action = WebhookEvent.Action.CREATED;
                data.put("tags", created.tags());
                data.put("description", created.description().orElse(null));
            }
            case RegistryEvent.VersionCreated created -> {
                entity = prompt ? WebhookEvent.Entity.PROMPT_VERSION : WebhookEvent.Entity.MODEL_VERSION;
                action = WebhookEvent.Action.CREATED;
                data.put("version", created.version());
                if (prompt) {
                    data.put("template", created.tags().get(PROMPT_TEXT_TAG));
                } else {
                    data.put("source", created.source());
                    data.put("run_id", created.runId().orElse(null));
                }
                data.put("tags", created.tags());
                data.put("description", created.description().orElse(null));
            }
            case RegistryEvent.ModelTagSet set -> {
                if (!prompt) {
                    return Optional.empty();
                }
                entity = WebhookEvent.Entity.PROMPT_TAG;
                action = WebhookEvent.Action.SET;
                data.put("key", set.key());
                data.put("value", set.value());
            }
            case RegistryEvent.ModelTagDeleted deleted -> {
                if (!prompt) {
                    return Optional.empty();
                }
                entity = WebhookEvent.Entity.PROMPT_TAG;
                action = WebhookEvent.Action.DELETED;
                data.put("key", deleted.key());
            }
            case RegistryEvent.VersionTagSet set -> {
                entity = prompt ? WebhookEvent.Entity.PROMPT_VERSION_TAG : WebhookEvent.Entity.MODEL_VERSION_TAG;
                action = WebhookEvent.Action.SET;
                data.put("version", set.version());
                data.put("key", set.key());
                data.put("value", set.value());
            }
            case RegistryEvent.VersionTagDeleted deleted -> {
                entity = prompt ? WebhookEvent.Entity.PROMPT_VERSION_TAG : WebhookEvent.Entity.MODEL_VERSION_TAG;
                action = WebhookEvent.Action.DELETED;
                data.put("version", deleted.version());
                data.put("key", deleted.key());
            }
            case RegistryEvent.AliasCreated created -> {
                entity = prompt ? WebhookEvent.Entity.PROMPT_ALIAS : WebhookEvent.Entity.MODEL_VERSION_ALIAS;
                action = WebhookEvent.Action.CREATED;
                data.put("alias", created.alias());
                data.put("version", created.version());
            }
            case RegistryEvent.AliasDeleted deleted -> {
                entity = prompt ? WebhookEvent.Entity.PROMPT_ALIAS : WebhookEvent.Entity.MODEL_VERSION_ALIAS;
                action = WebhookEvent.Action.DELETED;
                data.put("alias", deleted.alias());
            }
        }
        return Optional.of(Map.entry(new WebhookEvent(entity, action), data));
    }

    /** MLflow's example payload of an event, sent by a test. */
    static Map<String, Object> example(WebhookEvent event) {
        boolean prompt = event.entity().name().startsWith("PROMPT");
        String name = prompt ? "example_prompt" : "example_model";
        Map<String, String> tags = Map.of("example_key", "example_value");
        RegistryEvent sample = switch (event.entity()) {
            case REGISTERED_MODEL, PROMPT -> new RegistryEvent.ModelCreated(name, tags, Optional.of("An example " + (prompt ? "prompt" : "registered model")));
            case MODEL_VERSION -> new RegistryEvent.VersionCreated(name, "1", "runs:/abcd1234abcd5678/model", Optional.of("abcd1234abcd5678"),
                    tags, Optional.of("An example model version"));
            case PROMPT_VERSION -> new RegistryEvent.VersionCreated(name, "1", "", Optional.empty(),
                    Map.of(PROMPT_TEXT_TAG, "Hello, {{name}}!"), Optional.of("An example prompt version"));
            case MODEL_VERSION_TAG, PROMPT_VERSION_TAG -> event.action() == WebhookEvent.Action.SET
                    ? new RegistryEvent.VersionTagSet(name, "1", "example_key", "example_value")
                    : new RegistryEvent.VersionTagDeleted(name, "1", "example_key");
            case PROMPT_TAG -> event.action() == WebhookEvent.Action.SET
                    ? new RegistryEvent.ModelTagSet(name, "example_key", "example_value")
                    : new RegistryEvent.ModelTagDeleted(name, "example_key");
            case MODEL_VERSION_ALIAS, PROMPT_ALIAS -> event.action() == WebhookEvent.Action.CREATED
                    ? new RegistryEvent.AliasCreated(name, "example_alias", "1")
                    : new RegistryEvent.AliasDeleted(name, "example_alias");
        };
        return map(sample, prompt).orElseThrow().getValue();
    }

    private static String validName(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            throw AtelierException.invalidParameter("Invalid value for parameter 'name': 1 to " + MAX_NAME + " characters");
        }
        return name.strip();
    }

    private static List<WebhookEvent> validEvents(List<WebhookEvent> events) {
        if (events.isEmpty()) {
            throw AtelierException.invalidParameter("Webhook events cannot be empty");
        }
        return new ArrayList<>(new LinkedHashSet<>(events));
    }
}
