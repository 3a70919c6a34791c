package dev.atelier.server.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.api.AtelierException;
import dev.atelier.server.data.EndpointAllowList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Posts one event to one webhook as MLflow does: {@code {"entity", "action", "timestamp", "data"}} as JSON, with
 * {@code X-MLflow-Delivery-Id}, {@code X-MLflow-Timestamp} (Unix seconds) and, when the webhook has a secret,
 * {@code X-MLflow-Signature: v1,<base64 HMAC-SHA256 of "<delivery id>.<timestamp>.<body>">}. A 429 or 5xx answer or
 * a failed connection is retried up to {@link #RETRIES} times (1 s, 2 s, 4 s apart); redirects are not followed and
 * the URL's host is checked against the allow list again at each attempt (a name may resolve elsewhere later).
 * Thread-safe.
 */
final class WebhookDelivery {
    static final int RETRIES = 3;
    /** The most of an answer's body a test result carries. */
    static final int MAX_RESPONSE_CHARS = 8192;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final EndpointAllowList allowed;
    private final Clock clock;
    private final Duration firstBackoff;

    WebhookDelivery(EndpointAllowList allowed, Clock clock, Duration firstBackoff) {
        this.allowed = requireNonNull(allowed, "allowed is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.firstBackoff = requireNonNull(firstBackoff, "firstBackoff is null");
    }

    /** Refuses a URL that is not http(s) with a host, or whose host is not allowed (INVALID_PARAMETER_VALUE naming {@code field}). */
    URI check(String field, String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (java.net.URISyntaxException e) {
            throw AtelierException.invalidParameter("Invalid value '" + url + "' for parameter '" + field + "': not a URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw AtelierException.invalidParameter("Invalid value '" + url + "' for parameter '" + field
                    + "': expected an http:// or https:// URL with a host");
        }
        allowed.check(field, uri);
        return uri;
    }

    /**
     * One delivery with retries; the last answer (or failure) is the result. The body, delivery id and timestamp are
     * made once: a retry sends the same bytes, so a receiver can tell a repeat by its {@code X-MLflow-Delivery-Id}.
     */
    Result deliver(Webhook webhook, Optional<String> secret, WebhookEvent event, Map<String, Object> data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entity", event.entityName());
        body.put("action", event.actionName());
        body.put("timestamp", Instant.now(clock).toString());
        body.put("data", data);
        String payload;
        try {
            payload = JSON.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String deliveryId = UUID.randomUUID().toString();
        String timestamp = Long.toString(clock.millis() / 1000);
        Optional<String> signature = secret.map(key -> signature(key, deliveryId, timestamp, payload));
        Result result = null;
        for (int attempt = 0; attempt <= RETRIES; attempt++) {
            if (attempt > 0) {
                sleep(firstBackoff.multipliedBy(1L << (attempt - 1)));
            }
            result = attempt(webhook.url(), payload, deliveryId, timestamp, signature);
            if (!result.retryable()) {
                break;
            }
        }
        if (!result.success()) {
            LOG.warn("Webhook {} ({}) for {}: {}", webhook.webhookId(), webhook.url(), event,
                    result.errorMessage().orElse("answered " + result.status().orElse(0)));
        }
        return result;
    }

    private Result attempt(String url, String payload, String deliveryId, String timestamp, Optional<String> signature) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(check("url", url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("X-MLflow-Delivery-Id", deliveryId)
                    .header("X-MLflow-Timestamp", timestamp)
                    .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
            signature.ifPresent(value -> request.header("X-MLflow-Signature", value));
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String text = response.body();
            int status = response.statusCode();
            return new Result(status < 400, Optional.of(status),
                    Optional.of(text.length() > MAX_RESPONSE_CHARS ? text.substring(0, MAX_RESPONSE_CHARS) : text), Optional.empty(),
                    status == 429 || status >= 500);
        } catch (AtelierException e) {
            return new Result(false, Optional.empty(), Optional.empty(), Optional.of(e.getMessage()), false);
        } catch (IOException e) {
            return new Result(false, Optional.empty(), Optional.empty(), Optional.of("Failed to send: " + e), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, Optional.empty(), Optional.empty(), Optional.of("Interrupted"), false);
        }
    }

    /** {@code v1,<base64 HMAC-SHA256>} over {@code <delivery id>.<timestamp>.<payload>}, as MLflow signs. */
    static String signature(String secret, String deliveryId, String timestamp, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((deliveryId + "." + timestamp + "." + payload).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** MLflow's WebhookTestResult, and whether another attempt may succeed. */
    record Result(boolean success, Optional<Integer> status, Optional<String> body, Optional<String> errorMessage, boolean retryable) {
        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("success", success);
            status.ifPresent(code -> json.put("response_status", code));
            body.ifPresent(text -> json.put("response_body", text));
            errorMessage.ifPresent(text -> json.put("error_message", text));
            return json;
        }
    }
}
