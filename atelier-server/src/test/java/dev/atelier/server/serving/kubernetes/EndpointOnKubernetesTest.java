package dev.atelier.server.serving.kubernetes;

import dev.atelier.server.compute.ServiceListener;
import dev.atelier.server.compute.ServiceHandle;
import dev.atelier.server.compute.ServiceSpec;
import dev.atelier.server.compute.ServiceStatus;
import dev.atelier.server.compute.kubernetes.KubernetesRuns;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.atelier.server.serving.ServingFixture;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scoring-script deployment on a Kubernetes target, through the endpoints API: the Deployment and
 * Service appear in the (mock) cluster, the deployment is Succeeded once the rollout is done, scoring
 * calls reach the Service (a local HTTP server standing in for the pods), and deleting the
 * deployment removes its objects.
 */
@EnableKubernetesMockClient(crud = true)
class EndpointOnKubernetesTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    @TempDir
    static Path scratch;
    static KubernetesClient client;
    private static HttpServer pods;

    @BeforeAll
    static void startPods() throws Exception {
        pods = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pods.createContext("/score", exchange -> {
            byte[] body = ("{\"scored_by\": \"pod\", \"request\": " + new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8) + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        pods.start();
    }

    @AfterAll
    static void stopPods() {
        pods.stop(0);
    }

    @Test
    void aDeploymentOnKubernetesIsCreatedServedAndDeletedThroughTheEndpointsApi() throws Exception {
        HttpJson http = server.http();
        ServingFixture serving = new ServingFixture(http, scratch);
        serving.registerOnnx("k8s-model");
        assertThat(http.post("/api/v1/environments", Map.of("name", "py-image", "kind", "image", "image", "python:3.12-slim")).status())
                .isEqualTo(200);
        // The kubeconfig comes from a workspace secret (the server has no --kubeconfig-dir here).
        assertThat(http.post("/api/v1/secrets", Map.of("name", "k8s-kubeconfig", "value", ServingFixtures.kubeconfigText(client)))
                .status()).isEqualTo(201);
        HttpJson.Response compute = http.post("/api/v1/computes", Map.of("name", "k8s", "kind", "kubernetes", "kubernetes", Map.of(
                "namespace", ServingFixtures.NAMESPACE, "kubeconfig_secret", "k8s-kubeconfig",
                "service_url_template", "http://127.0.0.1:" + pods.getAddress().getPort())));
        assertThat(compute.status()).as(compute.text()).isEqualTo(200);
        String snapshot = serving.snapshot("score.py", "def init():\n    pass\n\ndef run(raw_data):\n    return raw_data\n");

        serving.createEndpoint("name: onk8s\n");
        serving.createDeployment("onk8s", """
                name: blue
                model: models:/k8s-model/1
                code_configuration: {code: snapshot:%s, scoring_script: score.py}
                environment: py-image
                compute: k8s
                instance_count: 2
                """.formatted(snapshot));
        ServingFixtures.Ref ref = new ServingFixtures.Ref("default", "onk8s", "blue");
        for (long deadline = System.nanoTime() + 30_000_000_000L; ServingFixtures.deployment(client, ref.objectName()) == null
                && System.nanoTime() < deadline; ) {
            Thread.sleep(50);
        }
        var deployment = ServingFixtures.deployment(client, ref.objectName());
        assertThat(deployment).as("the Deployment was created").isNotNull();
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()).isEqualTo("python:3.12-slim");
        assertThat(client.services().inNamespace(ServingFixtures.NAMESPACE).withName(ref.objectName()).get()).isNotNull();
        assertThat(http.get("/api/v1/endpoints/onk8s/deployments/blue").json().path("provisioning_state").asText()).isEqualTo("Creating");

        ServingFixtures.setStatus(client, ref, new DeploymentStatusBuilder().withReplicas(2).withReadyReplicas(2).withUpdatedReplicas(2)
                .withAvailableReplicas(2).withObservedGeneration(deployment.getMetadata().getGeneration()).build());
        JsonNode provisioned = serving.awaitProvisioned("onk8s", "blue");
        assertThat(provisioned.path("provisioning_state").asText()).as(provisioned.toString()).isEqualTo("Succeeded");

        String key = serving.primaryKey("onk8s");
        HttpJson.Response scored = serving.score("onk8s", "/score", key, "application/json", "{\"data\": [[1, 2]]}");
        assertThat(scored.status()).as(scored.text()).isEqualTo(200);
        assertThat(scored.json().path("scored_by").asText()).isEqualTo("pod");
        HttpJson.Response invoked = serving.score("onk8s", "/invocations", key, "application/json", "{\"inputs\": [[1, 2]]}");
        assertThat(invoked.json().path("predictions").path("request").path("inputs").get(0).get(1).asInt()).isEqualTo(2);

        assertThat(http.send("DELETE", "/api/v1/endpoints/onk8s/deployments/blue", null).status()).isEqualTo(200);
        assertThat(ServingFixtures.deployment(client, ref.objectName())).as("deleting the deployment deletes its objects").isNull();
        assertThat(client.services().inNamespace(ServingFixtures.NAMESPACE).withName(ref.objectName()).get()).isNull();
    }
}
