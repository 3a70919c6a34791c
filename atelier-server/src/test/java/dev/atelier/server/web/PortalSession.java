package dev.atelier.server.web;

import dev.atelier.server.testing.HttpJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser's view of the portal over plain HTTP: pages asked for as HTML, and htmx actions posted
 * form-encoded with the CSRF token the page frame puts in {@code hx-headers}, carrying the session
 * cookie when signed in (each session keeps the cookies the server sets, as a browser would) and
 * the server's own {@code Origin}. Redirects are not followed, so tests see {@code HX-Redirect} and 303s.
 */
final class PortalSession {
    private static final Pattern CSRF = Pattern.compile("X-CSRF-Token&#34;: &#34;([^&]+)&#34;");

    private final String baseUrl;
    private final HttpClient client;
    private final boolean signedIn;
    private volatile Optional<String> csrf;

    private PortalSession(String baseUrl, HttpClient client, boolean signedIn, Optional<String> csrf) {
        this.baseUrl = baseUrl;
        this.client = client;
        this.signedIn = signedIn;
        this.csrf = csrf;
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).cookieHandler(new CookieManager()).build();
    }

    /** Signs in through {@code POST /api/v1/auth/login}, as the login page does. */
    static PortalSession login(String baseUrl, String username, String password) {
        HttpClient client = newClient();
        HttpResponse<String> response = send(client, HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/auth/login"))
                .header("Content-Type", "application/json").header("Origin", baseUrl)
                .POST(HttpRequest.BodyPublishers.ofString(HttpJson.toJson(Map.of("username", username, "password", password))))
                .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Set-Cookie")).isPresent();
        return new PortalSession(baseUrl, client, true, Optional.of(HttpJson.parse(response.body()).get("csrf_token").asText()));
    }

    /** The local user of a server without authentication; the CSRF token, if any, is read from the first page. */
    static PortalSession local(String baseUrl) {
        return new PortalSession(baseUrl, newClient(), false, Optional.empty());
    }

    HttpResponse<String> page(String path) {
        HttpResponse<String> response = send(request(path).header("Accept", "text/html").GET().build());
        Matcher matcher = CSRF.matcher(response.body());
        if (csrf.isEmpty() && matcher.find()) {
            csrf = Optional.of(matcher.group(1));
        }
        return response;
    }

    /** An htmx form post with the CSRF header. */
    HttpResponse<String> action(String path, String form) {
        if (csrf.isEmpty() && !signedIn) {
            page("/settings");
        }
        HttpRequest.Builder request = htmx(path, form);
        csrf.ifPresent(token -> request.header("X-CSRF-Token", token));
        return send(request.build());
    }

    /** An htmx form post without the CSRF header, as a forged cross-site form would arrive. */
    HttpResponse<String> actionWithoutCsrf(String path, String form) {
        return send(htmx(path, form).build());
    }

    /** A plain (non-htmx) form post from a browser, with the CSRF header. */
    HttpResponse<String> browserPost(String path, String form) {
        HttpRequest.Builder request = request(path).header("Accept", "text/html").header("Origin", baseUrl)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        csrf.ifPresent(token -> request.header("X-CSRF-Token", token));
        return send(request.build());
    }

    /** Form-encodes {@code name, value, name, value...}. */
    static String form(String... pairs) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            body.append(body.isEmpty() ? "" : "&").append(java.net.URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(java.net.URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return body.toString();
    }

    private HttpRequest.Builder htmx(String path, String form) {
        return request(path).header("Accept", "text/html").header("HX-Request", "true").header("Origin", baseUrl)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path));
    }

    private HttpResponse<String> send(HttpRequest request) {
        return send(client, request);
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
