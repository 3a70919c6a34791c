package dev.atelier.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.ConnectionsConfig;
import dev.atelier.server.testing.HttpJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a Kubernetes target connects (kubeconfig, namespace, service account, ...) is the Owner's to
 * decide: a Compute Operator who could change it would receive the token of the next job an Owner
 * submits there (issue 12, "Roles that can't be escalated"). A Compute Operator still changes
 * capacity and pod defaults. Kubeconfig files are confined to the server's --kubeconfig-dir.
 */
class ComputeConnectionAuthorizationTest {
    private static final String WORKSPACE = "compute-roles";
    private static final String TARGETS = "/w/" + WORKSPACE + "/api/v1/computes";
    private static SecuredServer server;
    private static Path kubeconfigs;
    private static String owner;
    private static String operator;
    private static String contributor;

    @BeforeAll
    static void start() throws Exception {
        kubeconfigs = Files.createTempDirectory("atelier-kubeconfigs").toRealPath();
        Files.writeString(kubeconfigs.resolve("prod.yaml"), "apiVersion: v1\nkind: Config\nclusters: []\n");
        Files.writeString(kubeconfigs.resolve("staging.yaml"), "apiVersion: v1\nkind: Config\nclusters: []\n");
        Path outside = Files.createTempDirectory("atelier-outside").resolve("stolen.yaml");
        Files.writeString(outside, "apiVersion: v1\nkind: Config\nclusters: []\n");
        Files.createSymbolicLink(kubeconfigs.resolve("escape.yaml"), outside);
        server = SecuredServer.start(config -> config.withConnections(ConnectionsConfig.DEFAULTS.withKubeconfigDir(kubeconfigs)));
        server.createWorkspace(WORKSPACE);
        owner = SecuredServer.bearer(server.userWithRole("owner", WORKSPACE, "Owner"));
        operator = SecuredServer.bearer(server.userWithRole("operator", WORKSPACE, "Compute Operator"));
        contributor = SecuredServer.bearer(server.userWithRole("contributor", WORKSPACE, "Contributor"));
        HttpJson.Response created = server.call("POST", TARGETS, Map.of("name", "k8s", "kind", "kubernetes", "max_concurrent_jobs", 2,
                "kubernetes", Map.of("namespace", "ml-jobs", "kubeconfig", "prod.yaml", "cpu", "500m")), owner);
        assertThat(created.status()).as(created.text()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aComputeOperatorCannotChangeWhereATargetConnects() {
        JsonNode before = target();
        for (Map<String, Object> change : java.util.List.<Map<String, Object>>of(
                Map.of("server_url", "http://attacker.example"),
                Map.of("kubeconfig", "/etc/passwd"),
                Map.of("kubeconfig", "staging.yaml"),
                Map.of("kubeconfig_secret", "my-cluster"),
                Map.of("fetch_image", "attacker/fetch:latest"),
                Map.of("service_account", "cluster-admin"),
                Map.of("namespace", "kube-system"),
                Map.of("context", "other"),
                Map.of("service_url_template", "http://attacker.example/{service}"),
                Map.of("registry", "attacker.example/loot"),
                Map.of("registry_secret", "my-registry"),
                Map.of("cpu", "1", "namespace", "kube-system"))) {
            for (String caller : new String[] {operator, contributor}) {
                HttpJson.Response refused = server.call("PATCH", TARGETS + "/k8s", Map.of("kubernetes", change), caller);
                assertThat(refused.status()).as(change + ": " + refused.text()).isEqualTo(403);
                assertThat(refused.errorCode()).isEqualTo("PERMISSION_DENIED");
                assertThat(refused.json().path("message").asText()).contains("MANAGE_COMPUTE_CONNECTION");
            }
        }
        HttpJson.Response create = server.call("POST", TARGETS, Map.of("name", "mine", "kind", "kubernetes",
                "kubernetes", Map.of("namespace", "ml")), operator);
        assertThat(create.status()).as(create.text()).isEqualTo(403);
        assertThat(target()).as("the target is unchanged").isEqualTo(before);
    }

    @Test
    void aComputeOperatorChangesCapacityAndPodDefaults() {
        HttpJson.Response changed = server.call("PATCH", TARGETS + "/k8s", Map.of("max_concurrent_jobs", 3, "description", "GPU pool",
                "kubernetes", Map.of("cpu", "2", "memory", "4Gi")), operator);
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        JsonNode target = target();
        assertThat(target.path("max_concurrent_jobs").asInt()).isEqualTo(3);
        assertThat(target.path("kubernetes").path("cpu").asText()).isEqualTo("2");
        assertThat(target.path("kubernetes").path("kubeconfig").asText()).isEqualTo("prod.yaml");
        assertThat(target.path("kubernetes").path("namespace").asText()).isEqualTo("ml-jobs");
    }

    @Test
    void anOwnerChangesTheConnectionWithinTheKubeconfigFolder() {
        HttpJson.Response moved = server.call("PATCH", TARGETS + "/owned-target", Map.of(), owner);
        assertThat(moved.status()).isEqualTo(404);
        HttpJson.Response created = server.call("POST", TARGETS, Map.of("name", "owned", "kind", "kubernetes",
                "kubernetes", Map.of("namespace", "team", "kubeconfig", "prod.yaml")), owner);
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        HttpJson.Response changed = server.call("PATCH", TARGETS + "/owned", Map.of("kubernetes", Map.of("kubeconfig", "staging.yaml",
                "namespace", "team-b", "service_account", "trainer")), owner);
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        assertThat(changed.json().path("kubernetes").path("kubeconfig").asText()).isEqualTo("staging.yaml");
        assertThat(changed.json().path("kubernetes").path("service_account").asText()).isEqualTo("trainer");

        for (String path : new String[] {"../prod.yaml", "/etc/passwd", kubeconfigs.getParent().resolve("x.yaml").toString(),
                "escape.yaml", "missing.yaml", "."}) {
            HttpJson.Response refused = server.call("PATCH", TARGETS + "/owned", Map.of("kubernetes", Map.of("kubeconfig", path)), owner);
            assertThat(refused.status()).as(path + ": " + refused.text()).isEqualTo(400);
            assertThat(refused.json().path("message").asText()).contains("kubernetes.kubeconfig");
        }
        HttpJson.Response serverUrl = server.call("PATCH", TARGETS + "/owned", Map.of("kubernetes", Map.of("server_url",
                "http://attacker.example")), owner);
        assertThat(serverUrl.status()).isEqualTo(400);
        assertThat(serverUrl.json().path("message").asText()).contains("server_url", "--public-url");
        HttpJson.Response fetchImage = server.call("POST", TARGETS, Map.of("name", "with-image", "kind", "kubernetes",
                "kubernetes", Map.of("namespace", "team", "fetch_image", "attacker/fetch")), owner);
        assertThat(fetchImage.status()).isEqualTo(400);
        assertThat(fetchImage.json().path("message").asText()).contains("fetch_image", "--kubernetes-fetch-image");
        assertThat(server.call("GET", TARGETS + "/owned", null, owner).json().path("kubernetes").path("kubeconfig").asText())
                .isEqualTo("staging.yaml");
    }

    @Test
    void aKubeconfigSecretIsPinnedAndMayNotRunCommands() {
        String kubeconfig = "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'https://k8s.example:6443'}\n"
                + "contexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\nusers:\n- name: u\n  user: {token: abc}\n";
        String secrets = "/w/" + WORKSPACE + "/api/v1/secrets";
        assertThat(server.call("POST", secrets, Map.of("name", "cluster", "value", kubeconfig), owner).status()).isEqualTo(201);
        HttpJson.Response created = server.call("POST", TARGETS, Map.of("name", "from-secret", "kind", "kubernetes",
                "kubernetes", Map.of("namespace", "team", "kubeconfig_secret", "cluster")), owner);
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        assertThat(created.json().path("kubernetes").path("kubeconfig_secret_version").asInt()).isEqualTo(1);
        // A Contributor may write the secret; the target keeps using the version the Owner pinned.
        assertThat(server.call("PUT", secrets + "/cluster", Map.of("value", kubeconfig.replace("k8s.example", "attacker.example")),
                contributor).status()).isEqualTo(200);
        assertThat(server.call("GET", TARGETS + "/from-secret", null, operator).json().path("kubernetes")
                .path("kubeconfig_secret_version").asInt()).isEqualTo(1);

        String exec = kubeconfig.replace("user: {token: abc}", "user: {exec: {command: sh, args: ['-c', 'id > /tmp/pwned']}}");
        assertThat(server.call("POST", secrets, Map.of("name", "exec-cluster", "value", exec), owner).status()).isEqualTo(201);
        HttpJson.Response refused = server.call("POST", TARGETS, Map.of("name", "exec", "kind", "kubernetes",
                "kubernetes", Map.of("namespace", "team", "kubeconfig_secret", "exec-cluster")), owner);
        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        assertThat(refused.json().path("message").asText()).contains("'exec'");
    }

    private static JsonNode target() {
        HttpJson.Response target = server.call("GET", TARGETS + "/k8s", null, owner);
        assertThat(target.status()).isEqualTo(200);
        return target.json();
    }
}
