package dev.atelier.server.serving.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.atelier.api.AtelierException;
import dev.atelier.server.compute.ServiceStatus;
import dev.atelier.server.http.Json;
import dev.atelier.server.serving.protocol.ScoringCall;
import dev.atelier.server.serving.protocol.ScoringProtocol;
import dev.atelier.server.serving.protocol.ScoringResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The forwarding backend against a small HTTP server standing in for a deployment's Service. */
class KubernetesBackendTest {
    private static HttpServer service;
    private static final AtomicReference<Answer> ANSWER = new AtomicReference<>();
    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private static KubernetesBackend backend;

    record Answer(int status, String contentType, String body) {
    }

    record Received(String method, String path, String contentType, String requestId, String body, int clientPort) {
    }

    @BeforeAll
    static void start() throws IOException {
        service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        service.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            RECEIVED.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestHeaders().getFirst("x-request-id"),
                    new String(body, StandardCharsets.UTF_8), exchange.getRemoteAddress().getPort()));
            Answer answer = ANSWER.get();
            byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        service.start();
        ServiceStatus ready = new ServiceStatus(true, 2, 2, 2, true, Optional.empty());
        backend = new KubernetesBackend("blue", "http://127.0.0.1:" + service.getAddress().getPort() + "/", () -> ready,
                tail -> List.of("[pod-1] loaded", "[pod-1] scored").subList(2 - tail, 2), Optional.empty(), Duration.ofSeconds(5),
                Duration.ofMillis(50));
    }

    @AfterAll
    static void stop() {
        backend.close();
        service.stop(0);
    }

    @BeforeEach
    void clear() {
        RECEIVED.clear();
    }

    @Test
    void azureScoreSendsTheBodyAsIsAndAnswersAsIs() {
        ANSWER.set(new Answer(200, "application/json", "[0.25, 0.75]"));
        ScoringResponse response = backend.score(call(ScoringProtocol.AZURE_SCORE, "{\"data\": [[1, 2]]}", "application/json"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(text(response)).isEqualTo("[0.25, 0.75]");
        Received received = RECEIVED.getFirst();
        assertThat(received.method() + " " + received.path()).isEqualTo("POST /score");
        assertThat(received.body()).isEqualTo("{\"data\": [[1, 2]]}");
        assertThat(received.contentType()).isEqualTo("application/json");
        assertThat(received.requestId()).isEqualTo("req-1");
    }

    @Test
    void mlflowInvocationsWrapsTheAnswerInPredictionsUnlessItIsAlreadyThere() {
        ANSWER.set(new Answer(200, "application/json", "[1, 0, 1]"));
        ScoringResponse wrapped = backend.score(call(ScoringProtocol.MLFLOW_INVOCATIONS, "a,b\n1,2\n", "text/csv"));
        assertThat(json(wrapped).toString()).isEqualTo("{\"predictions\":[1,0,1]}");
        assertThat(RECEIVED.getFirst().contentType()).isEqualTo("text/csv");
        assertThat(RECEIVED.getFirst().body()).isEqualTo("a,b\n1,2\n");

        ANSWER.set(new Answer(200, "application/json", "{\"predictions\": [3], \"extra\": true}"));
        assertThat(json(backend.score(call(ScoringProtocol.MLFLOW_INVOCATIONS, "{}", "application/json"))).toString())
                .isEqualTo("{\"predictions\":[3],\"extra\":true}");

        ANSWER.set(new Answer(200, "text/plain", "not json"));
        assertThat(json(backend.score(call(ScoringProtocol.MLFLOW_INVOCATIONS, "{}", "application/json"))).toString())
                .isEqualTo("{\"predictions\":\"not json\"}");
    }

    @Test
    void openInferencePassesOutputsThroughAndWrapsAnythingElseAsOneTensor() {
        String outputs = "{\"model_name\":\"m\",\"outputs\":[{\"name\":\"y\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[0.5]}]}";
        ANSWER.set(new Answer(200, "application/json", outputs));
        assertThat(text(backend.score(call(ScoringProtocol.OPEN_INFERENCE, "{\"inputs\": []}", "application/json")))).isEqualTo(outputs);

        ANSWER.set(new Answer(200, "application/json", "[[0.1, 0.9], [0.8, 0.2], [0.5, 0.5]]"));
        JsonNode tensor = json(backend.score(call(ScoringProtocol.OPEN_INFERENCE, "{\"inputs\": []}", "application/json")));
        assertThat(tensor.path("model_name").asText()).isEqualTo("churn");
        assertThat(tensor.path("id").asText()).isEqualTo("req-1");
        JsonNode output = tensor.path("outputs").get(0);
        assertThat(output.path("name").asText()).isEqualTo("output-0");
        assertThat(output.path("shape").toString()).isEqualTo("[3,2]");
        assertThat(output.path("datatype").asText()).isEqualTo("FP64");
        assertThat(output.path("data").toString()).isEqualTo("[0.1,0.9,0.8,0.2,0.5,0.5]");

        ANSWER.set(new Answer(200, "application/json", "{\"predictions\": [1, 0]}"));
        JsonNode ints = json(backend.score(call(ScoringProtocol.OPEN_INFERENCE, "{}", "application/json"))).path("outputs").get(0);
        assertThat(ints.path("datatype").asText() + ints.path("shape") + ints.path("data")).isEqualTo("INT64[2][1,0]");

        ANSWER.set(new Answer(200, "application/json", "[\"yes\", [1, 2]]"));
        JsonNode ragged = json(backend.score(call(ScoringProtocol.OPEN_INFERENCE, "{}", "application/json"))).path("outputs").get(0);
        assertThat(ragged.path("datatype").asText() + ragged.path("shape") + ragged.path("data")).isEqualTo("BYTES[2][\"yes\",\"[1,2]\"]");
    }

    @Test
    void aScriptErrorIsAModelErrorAndARefusedInputIsTheCallersFault() {
        ANSWER.set(new Answer(500, "application/json", "{\"error\": \"ValueError: could not convert string to float: 'x'\"}"));
        assertThatThrownBy(() -> backend.score(call(ScoringProtocol.AZURE_SCORE, "{\"data\": [[\"x\"]]}", "application/json")))
                .isInstanceOf(ServiceCallFailure.class)
                .hasMessage("Deployment 'blue' answered HTTP 500: ValueError: could not convert string to float: 'x'");

        ANSWER.set(new Answer(400, "application/json", "{\"message\": \"expected 4 columns\"}"));
        assertThatThrownBy(() -> backend.score(call(ScoringProtocol.MLFLOW_INVOCATIONS, "{}", "application/json")))
                .isInstanceOf(AtelierException.class).hasMessageContaining("refused the input (HTTP 400): expected 4 columns")
                .satisfies(error -> assertThat(((AtelierException) error).httpStatus()).isEqualTo(400));
    }

    @Test
    void anUnreachableServiceIsAModelError() {
        try (KubernetesBackend nowhere = new KubernetesBackend("green", "http://127.0.0.1:1", () -> {
            throw new IllegalStateException("cluster away");
        }, tail -> List.of(), Optional.empty(), Duration.ofSeconds(2), Duration.ofMillis(50))) {
            assertThatThrownBy(() -> nowhere.score(call(ScoringProtocol.AZURE_SCORE, "{}", "application/json")))
                    .isInstanceOf(ServiceCallFailure.class).hasMessageContaining("could not be reached at http://127.0.0.1:1/score");
            assertThat(nowhere.ready()).isFalse();
        }
    }

    @Test
    void callsReuseTheirConnection() {
        ANSWER.set(new Answer(200, "application/json", "[1]"));
        for (int i = 0; i < 5; i++) {
            backend.score(call(ScoringProtocol.AZURE_SCORE, "{}", "application/json"));
        }
        assertThat(RECEIVED.stream().map(Received::clientPort).distinct().count()).isEqualTo(1);
    }

    @Test
    void readyFollowsTheDeploymentStatusAndLogsComeFromThePods() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!backend.ready() && System.nanoTime() < deadline) {
            sleep();
        }
        assertThat(backend.ready()).isTrue();
        assertThat(backend.lastStatus()).hasValueSatisfying(status -> assertThat(status.readyReplicas()).isEqualTo(2));
        assertThat(backend.logs(1)).containsExactly("[pod-1] scored");
        assertThat(backend.signature()).isEmpty();
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static ScoringCall call(ScoringProtocol protocol, String body, String contentType) {
        return new ScoringCall(protocol, protocol == ScoringProtocol.OPEN_INFERENCE ? "churn" : "", body.getBytes(StandardCharsets.UTF_8),
                contentType, "req-1");
    }

    private static String text(ScoringResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static JsonNode json(ScoringResponse response) {
        assertThat(response.contentType()).isEqualTo("application/json");
        try {
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError(text(response), e);
        }
    }
}
