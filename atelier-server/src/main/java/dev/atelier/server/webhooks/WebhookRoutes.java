package dev.atelier.server.webhooks;

import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.MlflowApi;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import dev.atelier.server.tracking.Page;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * MLflow's webhook endpoints under {@code /api/2.0/mlflow/webhooks} (webhooks.proto: CreateWebhook, ListWebhooks,
 * GetWebhook, UpdateWebhook, DeleteWebhook, TestWebhook). Reading needs READ; the others WRITE, as registering models
 * does. Thread-safe (stateless).
 */
public final class WebhookRoutes implements RouteTable {
    private final WebhookService webhooks;

    public WebhookRoutes(WebhookService webhooks) {
        this.webhooks = requireNonNull(webhooks, "webhooks is null");
    }

    @Override
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.addAll(MlflowApi.routes(POST, "webhooks", Permission.WRITE, this::create));
        routes.addAll(MlflowApi.routes(GET, "webhooks", Permission.READ, this::list));
        routes.addAll(MlflowApi.routes(GET, "webhooks/{webhook_id}", Permission.READ, this::get));
        routes.addAll(MlflowApi.routes(PATCH, "webhooks/{webhook_id}", Permission.WRITE, this::update));
        routes.addAll(MlflowApi.routes(DELETE, "webhooks/{webhook_id}", Permission.WRITE, this::delete));
        routes.addAll(MlflowApi.routes(POST, "webhooks/{webhook_id}/test", Permission.WRITE, this::test));
        return routes;
    }

    private void create(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        if (request.arraySize("events") == 0) {
            throw dev.atelier.api.AtelierException.invalidParameter("Missing value for required parameter 'events'");
        }
        Webhook webhook = webhooks.create(RequestContext.workspace(ctx), request.requiredString("name"), request.optionalString("description"),
                request.requiredString("url"), events(request), request.optionalString("secret"), status(request),
                RequestContext.principal(ctx).username());
        Responses.json(ctx, Map.of("webhook", webhook.json()));
    }

    private void list(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Page<Webhook> page = webhooks.list(RequestContext.workspace(ctx), request.optionalInt("max_results"),
                request.optionalString("page_token"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("webhooks", page.items().stream().map(Webhook::json).toList());
        page.nextPageToken().ifPresent(token -> body.put("next_page_token", token));
        Responses.json(ctx, body);
    }

    private void get(Context ctx) {
        Responses.json(ctx, Map.of("webhook", webhooks.get(RequestContext.workspace(ctx), ctx.pathParam("webhook_id")).json()));
    }

    private void update(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Optional<List<WebhookEvent>> events = request.has("events") ? Optional.of(events(request)) : Optional.empty();
        Webhook webhook = webhooks.update(RequestContext.workspace(ctx), ctx.pathParam("webhook_id"), request.optionalString("name"),
                request.optionalString("description"), request.optionalString("url"), events, request.optionalString("secret"),
                status(request), RequestContext.principal(ctx).username());
        Responses.json(ctx, Map.of("webhook", webhook.json()));
    }

    private void delete(Context ctx) {
        webhooks.delete(RequestContext.workspace(ctx), ctx.pathParam("webhook_id"));
        Responses.empty(ctx);
    }

    private void test(Context ctx) {
        ApiRequest request = ApiRequest.from(ctx);
        Optional<WebhookEvent> event = request.optionalObject("event")
                .map(given -> WebhookEvent.parse(given.requiredString("entity"), given.requiredString("action")));
        Responses.json(ctx, Map.of("result", webhooks.test(RequestContext.workspace(ctx), ctx.pathParam("webhook_id"), event).json()));
    }

    private static List<WebhookEvent> events(ApiRequest request) {
        return request.objectList("events").stream()
                .map(event -> WebhookEvent.parse(event.optionalString("entity").orElse(null), event.optionalString("action").orElse(null)))
                .toList();
    }

    private static Optional<Webhook.Status> status(ApiRequest request) {
        return request.optionalString("status").map(value -> switch (value.strip().toUpperCase(java.util.Locale.ROOT)) {
            case "ACTIVE" -> Webhook.Status.ACTIVE;
            case "DISABLED" -> Webhook.Status.DISABLED;
            default -> throw dev.atelier.api.AtelierException.invalidParameter("Invalid value '" + value
                    + "' for parameter 'status': expected ACTIVE or DISABLED");
        });
    }
}
