package dev.atelier.server.serving.kubernetes;

import dev.atelier.server.compute.ServiceListener;
import dev.atelier.server.compute.ServiceHandle;
import dev.atelier.server.compute.ServiceSpec;
import dev.atelier.server.compute.ServiceStatus;
import dev.atelier.server.compute.kubernetes.KubernetesRuns;
import java.time.Duration;

import dev.atelier.api.AtelierException;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.serving.BackendStarter;
import dev.atelier.server.serving.DeploymentBackend;
import dev.atelier.server.serving.DeploymentSpec;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.atelier.server.serving.kubernetes.ServingFixtures.RUNNER;
import static dev.atelier.server.serving.kubernetes.ServingFixtures.deployment;
import static dev.atelier.server.serving.kubernetes.ServingFixtures.kubeconfig;
import static dev.atelier.server.serving.kubernetes.ServingFixtures.pod;
import static dev.atelier.server.serving.kubernetes.ServingFixtures.setStatus;
import static dev.atelier.server.serving.kubernetes.ServingFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starting a deployment generation on Kubernetes: apply, wait for the rollout, and the reasons it fails. */
@EnableKubernetesMockClient(crud = true)
class KubernetesDeploymentStarterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    static KubernetesClient client;
    private static ComputeTarget target;
    private static KubernetesRuns serving;
    private static dev.atelier.server.compute.Workloads workloads;

    @BeforeAll
    static void start() throws IOException {
        target = ServingFixtures.target(kubeconfig(client), "");
        serving = new KubernetesRuns(ServingFixtures.connections(), () -> "http://atelier.example:5000", Duration.ofMillis(500));
        workloads = ServingFixtures.workloads(serving);
    }

    @AfterAll
    static void stop() {
        serving.close();
    }

    @Test
    void startWaitsForTheRolloutAndReturnsABackendForTheService() throws Exception {
        ServingFixtures.Ref ref = new ServingFixtures.Ref("default", "churn", "rollout");
        KubernetesDeploymentStarter starter = starter(ref, Duration.ofMinutes(5));
        CompletableFuture<DeploymentBackend> started = CompletableFuture.supplyAsync(() -> startQuietly(starter, ref));
        awaitDeployment(ref);
        assertThat(started).isNotDone();
        setStatus(client, ref, new DeploymentStatusBuilder().withReplicas(2).withReadyReplicas(2).withUpdatedReplicas(2)
                .withObservedGeneration(deployment(client, ref.objectName()).getMetadata().getGeneration()).build());
        try (DeploymentBackend backend = started.get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            assertThat(backend).isInstanceOf(KubernetesBackend.class);
            assertThat(((KubernetesBackend) backend).refreshStatus().available()).isTrue();
        }
        assertThat(deployment(client, ref.objectName())).as("closing a backend leaves the pods running").isNotNull();
    }

    @Test
    void podsThatCannotPullTheirImageFailTheStartWithTheReason() throws Exception {
        ServingFixtures.Ref ref = new ServingFixtures.Ref("default", "churn", "bad-image");
        KubernetesDeploymentStarter starter = starter(ref, Duration.ofMinutes(5));
        CompletableFuture<DeploymentBackend> started = CompletableFuture.supplyAsync(() -> startQuietly(starter, ref));
        awaitDeployment(ref);
        pod(client, ref, "x", new ContainerStatusBuilder().withName("main").withNewState().withNewWaiting().withReason("ErrImagePull")
                .withMessage("manifest unknown").endWaiting().endState().build(), null);
        assertThatThrownBy(() -> started.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(AtelierException.class)
                .hasMessageContaining("deployment 'bad-image' on Kubernetes target 'k8s' do not start")
                .hasMessageContaining("ErrImagePull: manifest unknown");
    }

    @Test
    void aRolloutThatTakesLongerThanTheStartTimeoutFailsTheStart() {
        ServingFixtures.Ref ref = new ServingFixtures.Ref("default", "churn", "slow");
        assertThatThrownBy(() -> starter(ref, Duration.ZERO).start(request(ref)))
                .isInstanceOf(AtelierException.class).hasMessageContaining("are not ready after 0 s: 0 of 2 ready");
    }

    private static KubernetesDeploymentStarter starter(ServingFixtures.Ref ref, Duration startTimeout) {
        return new KubernetesDeploymentStarter(workloads, request -> new KubernetesDeploymentSource.Resolved(target, spec(ref, 2, "1"),
                Optional.empty()), startTimeout, Duration.ofMillis(50), Duration.ofSeconds(1));
    }

    private static DeploymentBackend startQuietly(KubernetesDeploymentStarter starter, ServingFixtures.Ref ref) {
        try {
            return starter.start(request(ref));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static BackendStarter.StartRequest request(ServingFixtures.Ref ref) {
        DeploymentSpec spec = new DeploymentSpec("models:/churn/1", "churn", "1", Optional.of("abc123"), Optional.of("src/score.py"),
                Optional.of("py:1"), "k8s", 2, DeploymentSpec.RequestSettings.DEFAULTS, Map.of(), DeploymentSpec.DataCollector.OFF, "");
        return new BackendStarter.StartRequest(ref.workspace(), ref.endpoint(), ref.deployment(), 1, spec, Path.of("unused"));
    }

    private static void awaitDeployment(ServingFixtures.Ref ref) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (deployment(client, ref.objectName()) == null) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("no Deployment " + ref.objectName());
            }
            Thread.sleep(20);
        }
    }
}
