package dev.atelier.server.http;

import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import io.javalin.http.HandlerType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every POST, PATCH and PUT route of the server whose body is JSON or a document ({@link Route#body()}),
 * MLflow's and Atelier's own, answers a malformed body with 400 INVALID_PARAMETER_VALUE and a message
 * saying what is wrong, whatever its handler reads. The routes come from the server's route tables, so
 * routes added later are covered; only routes whose body is not JSON (uploads, scoring, portal forms) are
 * left out, by that property.
 */
class MalformedBodyTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final Set<HandlerType> WITH_BODY = Set.of(HandlerType.POST, HandlerType.PATCH, HandlerType.PUT);
    private static final List<String> MALFORMED = List.of("{\"name\": \"a\"", "{}{}", "{\"name\": \"a\"} trailing", "null", "[]",
            "[{\"name\": \"a\"}]", "42", "\"{}{}\"");
    /** A refusal's message says what is wrong: the JSON is malformed, or not an object (a document's: a mapping). */
    private static final java.util.regex.Pattern SAYS_WHAT = java.util.regex.Pattern.compile("Malformed JSON|JSON object|mapping of fields|Invalid JSON");

    @Test
    void everyJsonRouteRefusesEveryMalformedBody() {
        List<Route> routes = server.server().server().routes().stream()
                .filter(route -> WITH_BODY.contains(route.method()) && route.body() != RequestBody.OTHER)
                .toList();
        assertThat(routes).extracting(Route::path).contains("/api/2.0/mlflow/runs/create", "/api/2.0/mlflow/runs/search",
                "/api/v1/jobs", "/api/v1/workspaces");
        List<String> failures = new ArrayList<>();
        for (Route route : routes) {
            String path = route.path().replaceAll("\\{[^}/]+}", "x").replaceAll("<[^>]+>", "a/b");
            MALFORMED.forEach(body -> {
                HttpJson.Response response = send(route.method().name(), path, body);
                if (response.status() != 400 || !"INVALID_PARAMETER_VALUE".equals(response.errorCode())
                        || !SAYS_WHAT.matcher(response.json().path("message").asText()).find()) {
                    failures.add(route.method() + " " + path + " with " + body + ": " + response.status() + " " + abbreviate(response.text()));
                }
            });
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void onlyUploadsScoringProxiesAndPortalFormsTakeOtherBodies() {
        List<String> others = server.server().server().routes().stream()
                .filter(route -> WITH_BODY.contains(route.method()) && route.body() == RequestBody.OTHER)
                .map(Route::path)
                .toList();
        assertThat(others).contains("/api/2.0/mlflow-artifacts/artifacts/<path>", "/api/v1/snapshots/blobs/{sha256}")
                .noneMatch(path -> path.startsWith("/api/2.0/mlflow/") || path.equals("/api/v1/jobs"));
    }

    /** Sends {@code body} as JSON; again on a fresh connection when the server closed a reused one. */
    private static HttpJson.Response send(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            return server.http().send(request);
        } catch (UncheckedIOException e) {
            return server.http().send(request);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
