package dev.atelier.server.http;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

import java.util.List;

/**
 * MLflow serves each REST endpoint under {@code /api/2.0/mlflow/} (clients) and
 * {@code /ajax-api/2.0/mlflow/} (its web UI); both answer the same. Both are workspace-scoped.
 */
public final class MlflowApi {
    private static final List<String> PREFIXES = List.of("/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/");

    private MlflowApi() {
    }

    /** The routes of one MLflow endpoint, such as {@code experiments/create}. */
    public static List<Route> routes(HandlerType method, String endpoint, Permission permission, Handler handler) {
        return PREFIXES.stream().map(prefix -> Route.workspace(method, prefix + endpoint, permission, handler)).toList();
    }
}
