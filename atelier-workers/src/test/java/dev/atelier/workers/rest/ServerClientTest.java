package dev.atelier.workers.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client's requests on the wire, against a real HTTP server on a random port that answers as the tracking server
 * does (the end-to-end test against Atelier's own server is the AutoML job's).
 */
class ServerClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Request(String method, String path, String authorization, byte[] body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private ServerClient client;

    @TempDir
    Path folder;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        client = new ServerClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/w/team/"), Optional.of("secret"));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getRawPath() + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestHeaders().getFirst("Authorization"), body));
        String answer;
        int status = 200;
        if (path.endsWith("/runs/create")) {
            answer = "{\"run\":{\"info\":{\"run_id\":\"child1\"}}}";
        } else if (path.contains("/runs/get")) {
            answer = "{\"run\":{\"info\":{\"run_id\":\"child1\",\"artifact_uri\":\"mlflow-artifacts:/3/child1/artifacts\"}}}";
        } else if (path.endsWith("/runs/set-tag") && new String(body, StandardCharsets.UTF_8).contains("bad")) {
            status = 400;
            answer = "{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"bad tag\"}";
        } else {
            answer = "{}";
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void createsChildRunsLogsBatchesAndUpdatesThemWithTheBearerToken() throws IOException {
        String runId = client.createRun("3", "XGBoostClassifier_0", Map.of("mlflow.parentRunId", "parent1"));
        client.logBatch(runId, Map.of("accuracy", 0.9, "nan", Double.NaN), Map.of("algorithm", "XGBoostClassifier"), Map.of("automl.trial", "0"));
        client.updateRun(runId, "FINISHED");

        assertThat(runId).isEqualTo("child1");
        assertThat(requests).extracting(Request::path).containsExactly("/w/team/api/2.0/mlflow/runs/create",
                "/w/team/api/2.0/mlflow/runs/log-batch", "/w/team/api/2.0/mlflow/runs/update");
        assertThat(requests).extracting(Request::authorization).containsOnly("Bearer secret");
        JsonNode create = requests.get(0).json();
        assertThat(create.path("experiment_id").asText()).isEqualTo("3");
        assertThat(create.path("run_name").asText()).isEqualTo("XGBoostClassifier_0");
        assertThat(create.path("tags").get(0).path("key").asText()).isEqualTo("mlflow.parentRunId");
        JsonNode batch = requests.get(1).json();
        assertThat(batch.path("metrics")).hasSize(1);
        assertThat(batch.path("metrics").get(0).path("key").asText()).isEqualTo("accuracy");
        assertThat(batch.path("params").get(0).path("value").asText()).isEqualTo("XGBoostClassifier");
        assertThat(requests.get(2).json().path("status").asText()).isEqualTo("FINISHED");
    }

    @Test
    void uploadsAFolderThroughTheArtifactProxyUnderTheRunsArtifactRoot() throws IOException {
        Files.createDirectories(folder.resolve("model/members"));
        Files.writeString(folder.resolve("model/MLmodel"), "flavors: {}\n");
        Files.write(folder.resolve("model/members/0 a.ubj"), new byte[] {1, 2, 3});
        client.uploadArtifacts("child1", folder.resolve("model"), "model");

        List<Request> puts = requests.stream().filter(r -> r.method().equals("PUT")).toList();
        assertThat(puts).extracting(Request::path).containsExactly(
                "/w/team/api/2.0/mlflow-artifacts/artifacts/3/child1/artifacts/model/MLmodel",
                "/w/team/api/2.0/mlflow-artifacts/artifacts/3/child1/artifacts/model/members/0%20a.ubj");
        assertThat(puts.get(1).body()).containsExactly(1, 2, 3);
    }

    @Test
    void aRefusalCarriesTheStatusAndTheServersMessage() {
        assertThatThrownBy(() -> client.setTag("child1", "k", "bad"))
                .isInstanceOf(ServerClient.ServerException.class)
                .hasMessageContaining("400").hasMessageContaining("bad tag");
    }
}
