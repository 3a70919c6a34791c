package dev.atelier.server.replicas;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.serving.ServingFixture;
import dev.atelier.server.testing.HttpJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three servers on one PostgreSQL and one S3 store behind a round-robin balancer (docs/operations.md, "Running several
 * servers"): a mixed load of MLflow clients, command jobs and scoring calls succeeds on every replica, and when one
 * replica is killed (SIGKILL) under that load no acknowledged write is lost, its running jobs end with a clear reason
 * once their lease runs out, and the endpoint keeps answering through the others.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasFailoverTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long LEASE_MILLIS = 6_000;
    private static final String SCORING_BODY = "{\"inputs\": [[0.1, 0.9], [0.9, 0.1]]}";

    private static ReplicaCluster cluster;
    private static HttpJson http;
    private static ServingFixture serving;
    private static String key;

    @BeforeAll
    static void start() throws Exception {
        cluster = ReplicaCluster.start(3, LEASE_MILLIS);
        http = cluster.http();
        serving = new ServingFixture(http, Files.createDirectories(cluster.root().resolve("scratch")));
        serving.registerOnnx("replicated-onnx");
        serving.createEndpoint("name: replicated\nauth_mode: key\n");
        serving.createDeployment("replicated", "name: blue\nmodel: models:/replicated-onnx/1\ninstance_count: 1\n");
        JsonNode deployment = serving.awaitProvisioned("replicated", "blue");
        assertThat(deployment.path("provisioning_state").asText()).as(deployment.toString()).isEqualTo("Succeeded");
        key = serving.primaryKey("replicated");
        // Succeeded is recorded by the server that started the deployment first; each other server takes traffic once its
        // reconciler (every 2 s) has started it too, answering 503 with Retry-After until then, and 401 until it has read
        // the endpoint's keys (docs/operations.md).
        for (Replica replica : cluster.replicas()) {
            ServingFixture direct = new ServingFixture(new HttpJson(replica.url()), cluster.root().resolve("scratch"));
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
            HttpJson.Response answer = direct.score("replicated", "/invocations", key, "application/json", SCORING_BODY);
            while ((answer.status() == 503 || answer.status() == 401) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                answer = direct.score("replicated", "/invocations", key, "application/json", SCORING_BODY);
            }
            assertThat(answer.status()).as(replica.url() + ": " + answer.text()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void mixedLoadSucceedsOnEveryReplica() throws Exception {
        List<String> jobs = List.of("mixed-a", "mixed-b", "mixed-c");
        ConcurrentLinkedQueue<Integer> scoring = new ConcurrentLinkedQueue<>();
        try (TrackingLoad tracking = new TrackingLoad(cluster.balancer().url()).start(4, 3)) {
            for (String job : jobs) {
                submit("name: " + job + "\ncommand: echo replicated " + job + "\n");
            }
            for (int i = 0; i < 30; i++) {
                scoring.add(score().status());
            }
            for (String job : jobs) {
                JsonNode ended = awaitEnded(job);
                assertThat(ended.path("status").asText()).as(ended.toString()).isEqualTo("Completed");
            }
            HttpJson.Response model = http.post("/api/2.0/mlflow/registered-models/create", java.util.Map.of("name", "under-load"));
            assertThat(model.status()).as(model.text()).isEqualTo(200);
            tracking.stop();
            assertThat(tracking.failures()).isEmpty();
            assertThat(tracking.successes()).isPositive();
            assertThat(TrackingLoad.verifyStored(http, tracking.acknowledged())).isPositive();
        }
        assertThat(scoring).containsOnly(200);
        assertThat(jobLog("mixed-b")).contains("replicated mixed-b");
        // No sticky sessions: every server answered its share.
        assertThat(cluster.balancer().backends()).allSatisfy(backend -> assertThat(backend.requests()).isGreaterThan(10));
    }

    @Test
    @Order(2)
    void killingOneReplicaLosesNoAcknowledgedWriteAndItsJobsEndWithAReason() throws Exception {
        Replica victim = cluster.replicas().get(1);
        // Long jobs until the victim holds one; the servers claim queued jobs in turn.
        List<String> submitted = new ArrayList<>();
        Set<String> victimJobs = new HashSet<>();
        for (int i = 0; i < 12 && victimJobs.isEmpty(); i++) {
            String name = "long-" + i;
            submit("name: " + name + "\ncommand: sleep 60\n");
            submitted.add(name);
            Instant claimed = Instant.now().plusSeconds(20);
            while (Instant.now().isBefore(claimed) && holder(name) == null) {
                Thread.sleep(100);
            }
            victimJobs.addAll(heldBy(victim));
        }
        assertThat(victimJobs).as("a job held by the replica to kill").isNotEmpty();

        AtomicBoolean scoringStopped = new AtomicBoolean();
        ConcurrentLinkedQueue<Integer> scoring = new ConcurrentLinkedQueue<>();
        Thread scorer = Thread.ofVirtual().start(() -> {
            while (!scoringStopped.get()) {
                scoring.add(score().status());
            }
        });
        long badGatewaysBefore = cluster.balancer().badGateways();
        try (TrackingLoad tracking = new TrackingLoad(cluster.balancer().url()).start(4, 5)) {
            Thread.sleep(1_500);
            victim.kill();
            Thread.sleep(3_000);
            tracking.stop();
            scoringStopped.set(true);
            scorer.join();
            // Only requests in flight on the killed server fail, with the balancer's 502; the rest is answered.
            long badGateways = cluster.balancer().badGateways() - badGatewaysBefore;
            assertThat(tracking.failures()).allSatisfy(failure -> assertThat(failure.status()).as(failure.toString()).isEqualTo(502));
            assertThat(scoring).allSatisfy(status -> assertThat(status).isIn(200, 502));
            assertThat((long) tracking.failures().size() + scoring.stream().filter(status -> status == 502).count())
                    .isEqualTo(badGateways);
            assertThat(TrackingLoad.verifyStored(http, tracking.acknowledged())).isPositive();
        }
        // The endpoint keeps answering through the others.
        for (int i = 0; i < 6; i++) {
            HttpJson.Response answer = score();
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        }
        // The victim's jobs end Failed with the reason once their lease ran out; another server's jobs keep running.
        for (String job : victimJobs) {
            JsonNode ended = awaitEnded(job);
            assertThat(ended.path("status").asText()).isEqualTo("Failed");
            assertThat(ended.path("reason").asText()).contains("lease expired");
            assertThat(jobLog(job)).filteredOn(line -> line.contains("lease expired")).hasSize(1);
        }
        for (String job : submitted) {
            if (!victimJobs.contains(job)) {
                assertThat(http.get("/api/v1/jobs/" + job).json().path("status").asText()).isNotIn("Failed", "Completed");
                assertThat(http.post("/api/v1/jobs/" + job + "/cancel", java.util.Map.of()).status()).isLessThan(300);
            }
        }
    }

    private static String holder(String job) throws Exception {
        try (Connection connection = cluster.connect();
             PreparedStatement statement = connection.prepareStatement("SELECT lease_owner FROM jobs WHERE name = ? AND status = 'Running'")) {
            statement.setString(1, job);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private static Set<String> heldBy(Replica replica) throws Exception {
        Set<String> held = new HashSet<>();
        try (Connection connection = cluster.connect();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT name FROM jobs WHERE status = 'Running' AND lease_owner LIKE ?")) {
            statement.setString(1, "%:" + replica.pid() + ":%");
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    held.add(rows.getString(1));
                }
            }
        }
        return held;
    }

    private static HttpJson.Response score() {
        return serving.score("replicated", "/invocations", key, "application/json", SCORING_BODY);
    }

    private static void submit(String yaml) {
        HttpJson.Response response = http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/jobs"))
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml, StandardCharsets.UTF_8)).build());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private static JsonNode awaitEnded(String job) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            JsonNode json = http.get("/api/v1/jobs/" + job).json();
            String status = json.path("status").asText();
            if (Set.of("Completed", "Failed", "Canceled").contains(status) || Instant.now().isAfter(deadline)) {
                return json;
            }
            Thread.sleep(200);
        }
    }

    private static List<String> jobLog(String job) {
        List<String> lines = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = http.get("/api/v1/jobs/" + job + "/logs?after=" + after).json();
            page.path("lines").forEach(line -> lines.add(line.path("line").asText()));
            if (page.path("lines").isEmpty()) {
                return lines;
            }
            after = page.path("last_seq").asLong();
        }
    }
}
