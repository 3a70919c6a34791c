package dev.atelier.server.serving.kubernetes;

import dev.atelier.server.compute.ServiceListener;
import dev.atelier.server.compute.ServiceHandle;
import dev.atelier.server.compute.ServiceSpec;
import dev.atelier.server.compute.ServiceStatus;
import dev.atelier.server.compute.kubernetes.KubernetesRuns;
import java.time.Duration;

import com.sun.net.httpserver.HttpServer;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.serving.protocol.ScoringCall;
import dev.atelier.server.serving.protocol.ScoringProtocol;
import dev.atelier.server.serving.protocol.ScoringResponse;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import static dev.atelier.server.serving.kubernetes.ServingFixtures.NAMESPACE;
import static dev.atelier.server.serving.kubernetes.ServingFixtures.RUNNER;
import static dev.atelier.server.serving.kubernetes.ServingFixtures.deployment;
import static dev.atelier.server.serving.kubernetes.ServingFixtures.kubeconfig;
import static dev.atelier.server.serving.kubernetes.ServingFixtures.pod;
import static dev.atelier.server.serving.kubernetes.ServingFixtures.setStatus;
import static dev.atelier.server.serving.kubernetes.ServingFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a deployment on Kubernetes stands (ready, rolling, failing and why), its pods' logs, and a backend started for
 * it, against fabric8's mock API server (CRUD mode) with statuses set as the controllers and the kubelet would.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesDeploymentStatusTest {
    static KubernetesClient client;
    static KubernetesMockServer server;
    private static ComputeTarget target;
    private static KubernetesRuns serving;

    @BeforeAll
    static void start() throws IOException {
        target = ServingFixtures.target(kubeconfig(client), "");
        serving = new KubernetesRuns(ServingFixtures.connections(), () -> "http://atelier.example:5000/", Duration.ofMillis(500));
    }

    @AfterAll
    static void stop() {
        serving.close();
    }

    @Test
    void statusIsReadyOnceEveryReplicaIsReadyAndRolledOut() {
        ServingFixtures.Ref ref = new ServingFixtures.Ref("default", "churn", "ready");
        ServiceHandle service = serving.serve(target, spec(ref, 2, "1"), ServiceListener.IGNORE);
        ServiceStatus starting = service.status();
        assertThat(starting.exists()).isTrue();
        assertThat(starting.available()).isFalse();
        assertThat(starting.failure()).isEmpty();

        setStatus(client, ref, new DeploymentStatusBuilder().withReplicas(3).withReadyReplicas(2).withUpdatedReplicas(1).withObservedGeneration(1L).build());
        ServiceStatus rolling = service.status();
        assertThat(rolling.available()).isTrue();
        assertThat(rolling.rolledOut()).isFalse();

        setStatus(client, ref, new DeploymentStatusBuilder().withReplicas(2).withReadyReplicas(2).withUpdatedReplicas(2).withAvailableReplicas(2)
                .withObservedGeneration(1L).build());
        ServiceStatus done = service.status();
        assertThat(done.desiredReplicas()).isEqualTo(2);
        assertThat(done.readyReplicas()).isEqualTo(2);
        assertThat(done.rolledOut()).isTrue();
        assertThat(done.failure()).isEmpty();
    }


    @Test
    void statusReportsImagePullErrorsAndCrashLoopsFromThePods() {
        ServingFixtures.Ref ref = new ServingFixtures.Ref("default", "churn", "failing");
        ServiceHandle service = serving.serve(target, spec(ref, 1, "1"), ServiceListener.IGNORE);
        pod(client, ref, "a-pull", new ContainerStatusBuilder().withName("main").withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"python:3.12-slim\"").endWaiting().endState().build(), null);
        pod(client, ref, "b-crash", new ContainerStatusBuilder().withName("main").withRestartCount(4).withNewState().withNewWaiting()
                .withReason("CrashLoopBackOff").endWaiting().endState()
                .withNewLastState().withNewTerminated().withExitCode(3).withReason("Error").endTerminated().endLastState().build(), null);
        pod(client, ref, "c-fetch", null, new ContainerStatusBuilder().withName("fetch").withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                .endWaiting().endState().withNewLastState().withNewTerminated().withExitCode(1).endTerminated().endLastState().build());

        ServiceStatus status = service.status();
        assertThat(status.available()).isFalse();
        assertThat(status.failure()).hasValueSatisfying(failure -> assertThat(failure)
                .contains("container main: ImagePullBackOff: Back-off pulling image \"python:3.12-slim\"")
                .contains("CrashLoopBackOff (last exit code 3, Error)")
                .contains("downloading its files failed: CrashLoopBackOff (last exit code 1)"));
        assertThat(KubernetesDeploymentStarter.explained(service.status().failure().orElseThrow()))
                .endsWith("(exit code 3: the scoring script's init() failed)");
    }


    @Test
    void statusReportsAMissedProgressDeadlineAndAMissingDeployment() {
        ServingFixtures.Ref ref = new ServingFixtures.Ref("default", "churn", "deadline");
        ServiceHandle service = serving.serve(target, spec(ref, 1, "1"), ServiceListener.IGNORE);
        setStatus(client, ref, new DeploymentStatusBuilder().withReplicas(1).withConditions(new DeploymentConditionBuilder().withType("Progressing")
                .withStatus("False").withReason("ProgressDeadlineExceeded").withMessage("ReplicaSet has timed out progressing.").build()).build());
        assertThat(service.status().failure()).hasValue("ProgressDeadlineExceeded: ReplicaSet has timed out progressing.");

        ServingFixtures.Ref gone = new ServingFixtures.Ref("default", "churn", "deleted");
        ServiceHandle deleted = serving.serve(target, spec(gone, 1, "1"), ServiceListener.IGNORE);
        serving.deleteService(target, gone.id());
        ServiceStatus missing = deleted.status();
        assertThat(missing.exists()).isFalse();
        assertThat(missing.failure()).hasValueSatisfying(failure -> assertThat(failure).contains("does not exist"));
    }


    @Test
    void logsAreTheTailOfEachPodsDownloadAndScoringContainers() {
        ServingFixtures.Ref ref = new ServingFixtures.Ref("default", "churn", "logs");
        ServiceHandle service = serving.serve(target, spec(ref, 1, "1"), ServiceListener.IGNORE);
        assertThat(service.logs(10)).isEmpty();

        pod(client, ref, "p1", null, null);
        String pod = ref.objectName() + "-p1";
        String path = "/api/v1/namespaces/" + NAMESPACE + "/pods/" + pod + "/log?pretty=false&container=";
        server.expect().get().withPath(path + "fetch&tailLines=2").andReturn(200, "atelier: fetched the code and 3 model file(s)\n").always();
        server.expect().get().withPath(path + "main&tailLines=2").andReturn(200, "init done\nscored 3 rows\n").always();
        assertThat(service.logs(2)).containsExactly("[" + pod + "] init done", "[" + pod + "] scored 3 rows");
    }


    @Test
    void aBackendStartedForTheDeploymentScoresThroughTheTemplateUrlAndTurnsReadyWithTheDeployment() throws IOException {
        HttpServer pods = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pods.createContext("/score", exchange -> {
            byte[] answer = "[42]".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        pods.start();
        ServingFixtures.Ref ref = new ServingFixtures.Ref("default", "churn", "served");
        ComputeTarget forwarded = ServingFixtures.target(kubeconfig(client), "http://127.0.0.1:" + pods.getAddress().getPort());
        ServiceHandle service = serving.serve(forwarded, spec(ref, 1, "1"), ServiceListener.IGNORE);
        try (KubernetesBackend backend = KubernetesBackend.start(service, ref.deployment(), service.address().orElseThrow(), Optional.empty(), Duration.ofSeconds(5),
                Duration.ofMillis(100))) {
            assertThat(backend.refreshStatus().available()).isFalse();
            assertThat(backend.ready()).isFalse();
            setStatus(client, ref, new DeploymentStatusBuilder().withReplicas(1).withReadyReplicas(1).withUpdatedReplicas(1)
                    .withObservedGeneration(deployment(client, ref.objectName()).getMetadata().getGeneration()).build());
            assertThat(backend.refreshStatus().rolledOut()).isTrue();
            assertThat(backend.ready()).isTrue();
            ScoringResponse response = backend.score(new ScoringCall(ScoringProtocol.MLFLOW_INVOCATIONS, "",
                    "{\"inputs\": [[1]]}".getBytes(StandardCharsets.UTF_8), "application/json", "req-9"));
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"predictions\":[42]}");
        } finally {
            pods.stop(0);
        }
    }
}
