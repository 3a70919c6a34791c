package dev.atelier.server.serving.kubernetes;

import dev.atelier.server.compute.ServiceFiles;
import dev.atelier.server.compute.ServiceSpec;

import dev.atelier.server.ServerConfig;
import dev.atelier.server.artifacts.ArtifactService;
import dev.atelier.server.artifacts.LocalArtifactRepository;
import dev.atelier.server.compute.ComputeService;
import dev.atelier.server.compute.JdbcComputeStore;
import dev.atelier.server.environments.EnvironmentService;
import dev.atelier.server.environments.JdbcEnvironmentStore;
import dev.atelier.server.registry.JdbcRegistryStore;
import dev.atelier.server.registry.RegistryService;
import dev.atelier.server.serving.BackendStarter;
import dev.atelier.server.serving.DeploymentSpec;
import dev.atelier.server.store.Database;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import dev.atelier.server.tracking.JdbcTrackingStore;
import dev.atelier.server.tracking.RunArtifacts;
import dev.atelier.server.tracking.TrackingService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What a deployment runs on Kubernetes, resolved from the registry, environments and compute targets of a real server. */
class ServicesDeploymentSourceTest {
    private static final String MLFLOW = "/api/2.0/mlflow/";
    private static TestServer server;
    private static RegistryService registry;
    private static ServicesDeploymentSource source;

    @BeforeAll
    static void start() throws IOException {
        ServerConfig config = ServerConfig.forTests(Files.createTempDirectory("atelier-k8s-source"));
        server = TestServer.start(config);
        Database database = server.server().database();
        Clock clock = Clock.systemUTC();
        ArtifactService artifacts = new ArtifactService(new LocalArtifactRepository(config.resolvedArtifactsDir()));
        registry = RegistryService.start(new JdbcRegistryStore(database),
                new TrackingService(new JdbcTrackingStore(database), new RunArtifacts(artifacts), clock), artifacts, clock);
        source = new ServicesDeploymentSource(new ComputeService(new JdbcComputeStore(database), ServingFixtures.connections(), 2,
                dev.atelier.server.compute.LocalSettings.UNKNOWN, clock),
                new EnvironmentService(new JdbcEnvironmentStore(database), clock), registry, artifacts,
                request -> Optional.of("token-for-" + request.deployment()));
    }

    @AfterAll
    static void stop() {
        registry.close();
        server.close();
    }

    @Test
    void resolvesTheImageTheModelFilesTheirFolderAndTheSignature() {
        HttpJson http = server.http();
        assertThat(http.post("/api/v1/environments", Map.of("name", "scoring", "kind", "image", "image", "python:3.12-slim")).json()
                .path("version").asInt()).isEqualTo(1);
        assertThat(http.post("/api/v1/computes", Map.of("name", "k8s", "kind", "kubernetes", "kubernetes", Map.of("namespace", "ml")))
                .json().path("name").asText()).isEqualTo("k8s");
        String version = register("churn", Map.of("MLmodel", """
                artifact_path: model
                flavors:
                  python_function: {loader_module: score, python_version: 3.12.0}
                signature:
                  inputs: '[{"type": "double", "name": "tenure", "required": true}]'
                  outputs: '[{"type": "long", "required": true}]'
                """, "data/weights.bin", "0101"));

        DeploymentSpec deployment = new DeploymentSpec("models:/churn/" + version, "churn", version, Optional.of("abc123"),
                Optional.of("score.py"), Optional.of("scoring:1"), "k8s", 3, DeploymentSpec.RequestSettings.DEFAULTS,
                Map.of("LOG_LEVEL", "info"), DeploymentSpec.DataCollector.OFF, "");
        KubernetesDeploymentSource.Resolved resolved = source.resolve(new BackendStarter.StartRequest("default", "churn-api", "blue", 1,
                deployment, Path.of("unused")));

        assertThat(resolved.target().name()).isEqualTo("k8s");
        ServiceSpec spec = resolved.spec();
        assertThat(spec.id()).isEqualTo(new ServingFixtures.Ref("default", "churn-api", "blue").id());
        assertThat(spec.tags()).containsEntry("endpoint", "churn-api").containsEntry("deployment", "blue");
        assertThat(spec.image()).contains("python:3.12-slim");
        assertThat(spec.replicas()).isEqualTo(3);
        assertThat(spec.files()).anySatisfy(files -> assertThat(files.remote()).contains(new ServiceFiles.Remote.Zip("api/v1/snapshots/abc123/zip")));
        assertThat(spec.command()).contains("--script", "score.py");
        assertThat(spec.files()).anySatisfy(files -> assertThat(files.remote()).containsInstanceOf(ServiceFiles.Remote.Listed.class)
                .hasValueSatisfying(remote -> {
                    ServiceFiles.Remote.Listed listed = (ServiceFiles.Remote.Listed) remote;
                    assertThat(listed.files()).containsExactlyInAnyOrder("MLmodel", "data/weights.bin");
                    assertThat(listed.basePath()).isEqualTo("api/2.0/mlflow-artifacts/artifacts/"
                            + registry.files("default", registry.getModelVersion("default", "churn", version)).path());
                }));
        assertThat(spec.variables()).containsEntry("LOG_LEVEL", "info");
        assertThat(spec.token()).contains("token-for-blue");
        assertThat(resolved.signature()).hasValueSatisfying(signature -> assertThat(signature.inputs().orElseThrow().toString())
                .contains("tenure"));
    }

    private static String register(String name, Map<String, String> files) {
        HttpJson http = server.http();
        String experiment = http.post(MLFLOW + "experiments/create", Map.of("name", "k8s-" + name)).json().path("experiment_id").asText();
        String runId = http.post(MLFLOW + "runs/create", Map.of("experiment_id", experiment)).json().at("/run/info/run_id").asText();
        String root = http.get(MLFLOW + "runs/get?run_id=" + runId).json().at("/run/info/artifact_uri").asText()
                .substring("mlflow-artifacts:/".length()).replaceFirst("^/+", "");
        files.forEach((path, text) -> {
            HttpJson.Response uploaded = http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/2.0/mlflow-artifacts/artifacts/"
                    + root + "/model/" + path)).PUT(HttpRequest.BodyPublishers.ofString(text)).build());
            assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(200);
        });
        http.post(MLFLOW + "registered-models/create", Map.of("name", name));
        HttpJson.Response version = http.post(MLFLOW + "model-versions/create", Map.of("name", name, "source", "runs:/" + runId + "/model"));
        assertThat(version.status()).as(version.text()).isEqualTo(200);
        return version.json().at("/model_version/version").asText();
    }
}
