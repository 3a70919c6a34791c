package dev.atelier.server.http;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

import java.util.List;

/**
 * MLflow serves each REST endpoint under {@code /api/2.0/mlflow/} (clients) and
 * {@code /ajax-api/2.0/mlflow/} (its web UI); both answer the same. Both are workspace-scoped. MLflow 3's new
 * endpoints are under {@code 3.0} in place of {@code 2.0}.
 */
public final class MlflowApi {
    private static final List<String> PREFIXES = List.of("/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/");
    /** MLflow 3's endpoints that service.proto marks {@code since: {major: 3}}, such as StartTraceV3. */
    private static final List<String> V3_PREFIXES = List.of("/api/3.0/mlflow/", "/ajax-api/3.0/mlflow/");

    private MlflowApi() {
    }

    /** The routes of one MLflow endpoint, such as {@code experiments/create}. */
    public static List<Route> routes(HandlerType method, String endpoint, Permission permission, Handler handler) {
        return PREFIXES.stream().map(prefix -> Route.workspace(method, prefix + endpoint, permission, handler)).toList();
    }

    /** The routes of one MLflow 3 endpoint, under {@code /api/3.0/mlflow/} and {@code /ajax-api/3.0/mlflow/}. */
    public static List<Route> v3Routes(HandlerType method, String endpoint, Permission permission, Handler handler) {
        return V3_PREFIXES.stream().map(prefix -> Route.workspace(method, prefix + endpoint, permission, handler)).toList();
    }
}
