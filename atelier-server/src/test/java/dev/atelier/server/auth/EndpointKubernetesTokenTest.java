package dev.atelier.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.serving.ServingFixture;
import dev.atelier.server.serving.kubernetes.ServingFixtures;
import dev.atelier.server.testing.HttpJson;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With authentication on, the pods of a Kubernetes deployment download with a read-only token of
 * the endpoint's creator, kept for the deployment and revoked when it is deleted.
 */
@EnableKubernetesMockClient(crud = true)
class EndpointKubernetesTokenTest {
    private static final String NAMESPACE = ServingFixtures.NAMESPACE;
    @TempDir
    static Path scratch;
    static KubernetesClient client;
    private static SecuredServer server;
    private static HttpJson admin;

    @BeforeAll
    static void start() {
        server = SecuredServer.start(config -> config.withConnections(ServingFixtures.connectionsConfig()));
        admin = server.server().http().withHeader("Authorization", server.admin());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void podsDownloadWithAReadOnlyTokenThatIsRevokedWithTheDeployment() throws Exception {
        ServingFixture serving = new ServingFixture(admin, scratch);
        serving.registerOnnx("token-model");
        assertThat(admin.post("/api/v1/environments", Map.of("name", "py-image", "kind", "image", "image", "python:3.12-slim")).status())
                .isEqualTo(200);
        HttpJson.Response compute = admin.post("/api/v1/computes", Map.of("name", "k8s", "kind", "kubernetes", "kubernetes",
                Map.of("namespace", NAMESPACE, "kubeconfig", ServingFixtures.kubeconfig(client).getFileName().toString())));
        assertThat(compute.status()).as(compute.text()).isEqualTo(200);
        String snapshot = serving.snapshot("score.py", "def init():\n    pass\n\ndef run(raw_data):\n    return raw_data\n");
        serving.createEndpoint("name: tokens\n");
        serving.createDeployment("tokens", """
                name: blue
                model: models:/token-model/1
                code_configuration: {code: snapshot:%s, scoring_script: score.py}
                environment: py-image
                compute: k8s
                """.formatted(snapshot));
        ServingFixtures.Ref ref = new ServingFixtures.Ref("default", "tokens", "blue");
        Deployment deployment = null;
        for (long deadline = System.nanoTime() + 30_000_000_000L; deployment == null && System.nanoTime() < deadline; Thread.sleep(50)) {
            deployment = client.apps().deployments().inNamespace(NAMESPACE).withName(ref.objectName()).get();
        }
        assertThat(deployment).isNotNull();
        deployment.setStatus(new DeploymentStatusBuilder().withReplicas(1).withReadyReplicas(1).withUpdatedReplicas(1)
                .withAvailableReplicas(1).withObservedGeneration(deployment.getMetadata().getGeneration()).build());
        client.apps().deployments().inNamespace(NAMESPACE).resource(deployment).updateStatus();
        JsonNode provisioned = serving.awaitProvisioned("tokens", "blue");
        assertThat(provisioned.path("provisioning_state").asText()).as(provisioned.toString()).isEqualTo("Succeeded");

        String token = client.secrets().inNamespace(NAMESPACE).withName(ref.objectName()).get().getStringData().get("ATELIER_TOKEN");
        assertThat(token).isNotBlank();
        String bearer = SecuredServer.bearer(token);
        assertThat(server.call("GET", "/api/v1/snapshots/" + snapshot + "/zip", null, bearer).status()).isEqualTo(200);
        assertThat(server.call("POST", "/api/v1/endpoints", Map.of("name", "not-allowed"), bearer).status())
                .as("the token is read-only").isEqualTo(403);

        assertThat(admin.send("DELETE", "/api/v1/endpoints/tokens/deployments/blue", null).status()).isEqualTo(200);
        assertThat(server.call("GET", "/api/v1/snapshots/" + snapshot + "/zip", null, bearer).status())
                .as("the token is revoked with the deployment").isEqualTo(401);
        assertThat(admin.get("/api/v1/secrets").text()).doesNotContain("deployment-tokens-blue-token");
    }
}
