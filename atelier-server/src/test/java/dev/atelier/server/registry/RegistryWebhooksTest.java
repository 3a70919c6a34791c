package dev.atelier.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.atelier.server.ConnectionsConfig;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.data.EndpointAllowList;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MLflow webhooks against a real receiver on 127.0.0.1 (allowed by the operator's list): registry changes made
 * through MLflow's REST API arrive as MLflow posts them, signed with the webhook's secret; a test delivery; a
 * disabled webhook gets nothing; a 500 is retried; prompts give prompt events; bad input and private URLs are 400s.
 */
class RegistryWebhooksTest {
    private static final String API = "/api/2.0/mlflow/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static HttpServer receiver;
    private static final List<Delivery> received = new CopyOnWriteArrayList<>();
    /** Answers to give per path before answering 200. */
    private static final Map<String, ConcurrentLinkedQueue<Integer>> answers = new ConcurrentHashMap<>();

    record Delivery(String path, Map<String, String> headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    @BeforeAll
    static void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
            String path = exchange.getRequestURI().getPath();
            received.add(new Delivery(path, headers, body));
            Integer status = answers.getOrDefault(path, new ConcurrentLinkedQueue<>()).poll();
            byte[] answer = ("received " + path).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status == null ? 200 : status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.start();
        server = TestServer.start(ServerConfig.forTests(Files.createTempDirectory("atelier-webhooks").resolve("data"))
                .withConnections(ConnectionsConfig.DEFAULTS.withWebhookEndpoints(
                        EndpointAllowList.loopback().namedAs(EndpointAllowList.WEBHOOK_VARIABLE))));
    }

    @AfterAll
    static void stop() {
        server.close();
        receiver.stop(0);
    }

    @Test
    void registryChangesArriveSignedAsMlflowPostsThem() throws Exception {
        HttpJson http = server.http();
        JsonNode created = http.post(API + "webhooks", Map.of("name", "ci", "description", "to CI", "url", url("/ci"),
                "secret", "s3cret", "events", List.of(event("REGISTERED_MODEL", "CREATED"), event("MODEL_VERSION", "CREATED"),
                        event("model_version_alias", "created"), event("MODEL_VERSION_TAG", "SET")))).json();
        JsonNode webhook = created.get("webhook");
        assertThat(webhook.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(webhook.toString()).doesNotContain("s3cret");
        assertThat(webhook.get("events").get(2).toString()).isEqualTo("{\"entity\":\"MODEL_VERSION_ALIAS\",\"action\":\"CREATED\"}");
        String id = webhook.get("webhook_id").asText();
        // The signing secret is a workspace secret, encrypted with the master key.
        assertThat(http.get("/api/v1/secrets").text()).contains("mlflow-webhook-" + id);

        ModelFixture models = new ModelFixture(http);
        String source = models.createVersion("churn");
        assertThat(http.post(API + "registered-models/alias", Map.of("name", "churn", "alias", "champion", "version", "1")).status())
                .isEqualTo(200);
        assertThat(http.post(API + "model-versions/set-tag", Map.of("name", "churn", "version", "1", "key", "validated",
                "value", "yes")).status()).isEqualTo(200);

        List<Delivery> deliveries = await("/ci", 4);
        List<String> events = deliveries.stream().map(d -> d.json().get("entity").asText() + "." + d.json().get("action").asText()).toList();
        assertThat(events).containsExactlyInAnyOrder("registered_model.created", "model_version.created",
                "model_version_alias.created", "model_version_tag.set");
        Delivery version = deliveries.stream().filter(d -> d.json().get("entity").asText().equals("model_version")).findFirst().orElseThrow();
        assertThat(version.json().get("data").get("name").asText()).isEqualTo("churn");
        assertThat(version.json().get("data").get("version").asText()).isEqualTo("1");
        assertThat(version.json().get("data").get("source").asText()).isEqualTo(source);
        assertThat(version.json().get("timestamp").asText()).isNotBlank();
        for (Delivery delivery : deliveries) {
            String deliveryId = delivery.headers().get("x-mlflow-delivery-id");
            String timestamp = delivery.headers().get("x-mlflow-timestamp");
            assertThat(delivery.headers().get("x-mlflow-signature"))
                    .isEqualTo("v1," + hmac("s3cret", deliveryId + "." + timestamp + "." + delivery.body()));
        }
        Delivery alias = deliveries.stream().filter(d -> d.json().get("entity").asText().equals("model_version_alias")).findFirst()
                .orElseThrow();
        assertThat(alias.json().get("data").toString()).isEqualTo("{\"name\":\"churn\",\"alias\":\"champion\",\"version\":\"1\"}");

        // A test delivery: MLflow's example payload of the chosen event, and the receiver's answer.
        JsonNode result = http.post(API + "webhooks/" + id + "/test", Map.of("event", event("MODEL_VERSION", "CREATED"))).json()
                .get("result");
        assertThat(result.get("success").asBoolean()).isTrue();
        assertThat(result.get("response_status").asInt()).isEqualTo(200);
        assertThat(result.get("response_body").asText()).isEqualTo("received /ci");
        assertThat(await("/ci", 5).getLast().json().get("data").get("name").asText()).isEqualTo("example_model");

        // Get, list, delete (its secret goes with it).
        assertThat(http.get(API + "webhooks/" + id).json().get("webhook").get("name").asText()).isEqualTo("ci");
        assertThat(http.get(API + "webhooks").json().get("webhooks").findValuesAsText("webhook_id")).contains(id);
        assertThat(http.send("DELETE", API + "webhooks/" + id, "{}").status()).isEqualTo(200);
        assertThat(http.get(API + "webhooks/" + id).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/secrets").text()).doesNotContain("mlflow-webhook-" + id);
    }

    @Test
    void aDisabledWebhookGetsNothingAFailingReceiverIsRetriedAndPromptsArePromptEvents() {
        HttpJson http = server.http();
        String disabled = http.post(API + "webhooks", Map.of("name", "off", "url", url("/off"), "status", "DISABLED",
                "events", List.of(event("REGISTERED_MODEL", "CREATED")))).json().at("/webhook/webhook_id").asText();
        answers.put("/flaky", new ConcurrentLinkedQueue<>(List.of(503)));
        http.post(API + "webhooks", Map.of("name", "flaky", "url", url("/flaky"), "events", List.of(event("REGISTERED_MODEL", "CREATED"))));
        http.post(API + "webhooks", Map.of("name", "prompts", "url", url("/prompts"), "events", List.of(event("PROMPT", "CREATED"))));

        assertThat(http.post(API + "registered-models/create", Map.of("name", "fraud")).status()).isEqualTo(200);
        List<Delivery> flaky = await("/flaky", 2);
        assertThat(flaky.get(0).body()).isEqualTo(flaky.get(1).body());  // the same delivery, sent again after the 503
        assertThat(flaky.get(0).headers().get("x-mlflow-delivery-id")).isEqualTo(flaky.get(1).headers().get("x-mlflow-delivery-id"));
        assertThat(flaky.get(0).headers()).doesNotContainKey("x-mlflow-signature");

        assertThat(http.post(API + "registered-models/create", Map.of("name", "greeting", "tags",
                List.of(Map.of("key", "mlflow.prompt.is_prompt", "value", "true")))).status()).isEqualTo(200);
        JsonNode prompt = await("/prompts", 1).getFirst().json();
        assertThat(prompt.get("entity").asText()).isEqualTo("prompt");
        assertThat(prompt.get("data").get("name").asText()).isEqualTo("greeting");
        // Both models' deliveries to the other webhooks have arrived; the disabled one got neither.
        assertThat(received).noneMatch(delivery -> delivery.path().equals("/off"));

        // Enabled again, it gets the next model.
        assertThat(http.send("PATCH", API + "webhooks/" + disabled, Map.of("status", "ACTIVE")).json().at("/webhook/status").asText())
                .isEqualTo("ACTIVE");
        http.post(API + "registered-models/create", Map.of("name", "fraud-2"));
        assertThat(await("/off", 1).getFirst().json().at("/data/name").asText()).isEqualTo("fraud-2");
    }

    @Test
    void badInputAndPrivateAddressesAreRefused() {
        HttpJson http = server.http();
        assertBadRequest(http.post(API + "webhooks", Map.of("name", "x", "url", url("/x"), "events",
                List.of(event("MODEL_VERSION", "SET")))), "Invalid action 'set' for entity 'model_version'");
        assertBadRequest(http.post(API + "webhooks", Map.of("name", "x", "url", url("/x"), "events", List.of())), "events");
        assertBadRequest(http.post(API + "webhooks", Map.of("name", "x", "url", url("/x"), "events",
                List.of(event("RUN", "CREATED")))), "events.entity");
        assertBadRequest(http.post(API + "webhooks", Map.of("name", "x", "events", List.of(event("PROMPT", "CREATED")))), "url");
        assertBadRequest(http.post(API + "webhooks", Map.of("name", "x", "url", "ftp://example.com/", "events",
                List.of(event("PROMPT", "CREATED")))), "http:// or https://");
        assertBadRequest(http.post(API + "webhooks", Map.of("name", "x", "url", "http://169.254.169.254/latest", "events",
                List.of(event("PROMPT", "CREATED")))), EndpointAllowList.WEBHOOK_VARIABLE);
        assertBadRequest(http.post(API + "webhooks", Map.of("name", "x", "url", "http://10.1.2.3/hook", "events",
                List.of(event("PROMPT", "CREATED")))), EndpointAllowList.WEBHOOK_VARIABLE);
        assertBadRequest(http.post(API + "webhooks", Map.of("name", "x", "url", url("/x"), "status", "PAUSED", "events",
                List.of(event("PROMPT", "CREATED")))), "status");
        assertThat(http.get(API + "webhooks/nope").status()).isEqualTo(404);
        assertThat(http.get(API + "webhooks?max_results=0").status()).isEqualTo(400);
    }

    private static void assertBadRequest(HttpJson.Response response, String mentions) {
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.json().get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(response.json().get("message").asText()).contains(mentions);
    }

    private static Map<String, String> event(String entity, String action) {
        return Map.of("entity", entity, "action", action);
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    /** The deliveries to {@code path} once there are at least {@code count}, in arrival order. */
    private static List<Delivery> await(String path, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<Delivery> to = received.stream().filter(delivery -> delivery.path().equals(path)).toList();
            if (to.size() >= count) {
                return to;
            }
            assertThat(System.nanoTime()).as("%s deliveries to %s, got %s", count, path, to.size()).isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static String hmac(String secret, String content) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    }
}
