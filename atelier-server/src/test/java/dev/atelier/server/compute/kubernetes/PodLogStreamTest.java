package dev.atelier.server.compute.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Following a container's log against fabric8's mock API server (expectations mode: each log request
 * is answered once with the lines given, then the stream ends as a dropped connection would).
 */
@EnableKubernetesMockClient
class PodLogStreamTest {
    private static final String LOG = "/api/v1/namespaces/ns/pods/p/log?pretty=false&container=main";
    private static final String POD = "/api/v1/namespaces/ns/pods/p";
    private static final Duration RETRY = Duration.ofMillis(10);

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void resumesAfterADroppedStreamWithoutRepeatingOrLosingLines() throws InterruptedException {
        server.expect().get().withPath(POD).andReturn(200, pod("running")).times(2);
        server.expect().get().withPath(LOG + "&timestamps=true&follow=true")
                .andReturn(200, lines("2026-12-07T10:00:00.100000000Z epoch 1", "2026-12-07T10:00:01.500000000Z same time a",
                        "2026-12-07T10:00:01.500000000Z same time b")).once();
        // Reopened from the second of the last line: the API server sends that second's lines again.
        server.expect().get().withPath(LOG + "&sinceTime=2026-12-07T10:00:01Z&timestamps=true&follow=true")
                .andReturn(200, lines("2026-12-07T10:00:01.500000000Z same time a", "2026-12-07T10:00:01.500000000Z same time b",
                        "2026-12-07T10:00:01.500000000Z same time c", "2026-12-07T10:00:02.000000000Z epoch 2")).once();
        server.expect().get().withPath(POD).andReturn(200, pod("terminated")).always();
        server.expect().get().withPath(LOG + "&sinceTime=2026-12-07T10:00:02Z&timestamps=true")
                .andReturn(200, lines("2026-12-07T10:00:02.000000000Z epoch 2", "2026-12-07T10:00:03.000000000Z written after the drop",
                        "2026-12-07T10:00:03.000000000Z ")).once();
        List<String> received = new CopyOnWriteArrayList<>();

        PodLogStream stream = new PodLogStream(client, "ns", "p", "main", PodLogStream.Position.START, RETRY, received::add);
        stream.follow();

        assertThat(received).containsExactly("epoch 1", "same time a", "same time b", "same time c", "epoch 2",
                "written after the drop", "");
        assertThat(stream.position()).isEqualTo(new PodLogStream.Position(Instant.parse("2026-12-07T10:00:03Z"), 2));
    }

    @Test
    void aReattachedReaderStartsAfterItsPosition() throws InterruptedException {
        server.expect().get().withPath(POD).andReturn(200, pod("running")).once();
        server.expect().get().withPath(LOG + "&sinceTime=2026-12-07T11:00:05Z&timestamps=true&follow=true")
                .andReturn(200, lines("2026-12-07T11:00:05.250000000Z handed over before the restart",
                        "2026-12-07T11:00:05.250000000Z new at the same time", "2026-12-07T11:00:06.000000000Z new")).once();
        server.expect().get().withPath(POD).andReturn(200, pod("terminated")).always();
        server.expect().get().withPath(LOG + "&sinceTime=2026-12-07T11:00:06Z&timestamps=true")
                .andReturn(200, lines("2026-12-07T11:00:06.000000000Z new")).once();
        List<String> received = new CopyOnWriteArrayList<>();

        new PodLogStream(client, "ns", "p", "main", new PodLogStream.Position(Instant.parse("2026-12-07T11:00:05.250Z"), 1), RETRY,
                received::add).follow();

        assertThat(received).containsExactly("new at the same time", "new");
    }

    @Test
    void opensTheLogOnceTheContainerRunsAndStopsWhenThePodIsGone() throws InterruptedException {
        server.expect().get().withPath(POD).andReturn(200, pod("waiting")).once();
        server.expect().get().withPath(POD).andReturn(200, pod("running")).once();
        server.expect().get().withPath(LOG + "&timestamps=true&follow=true")
                .andReturn(200, lines("2026-12-07T12:00:00.000000000Z started")).once();
        server.expect().get().withPath(POD).andReturn(404, "").always();
        List<String> received = new CopyOnWriteArrayList<>();

        new PodLogStream(client, "ns", "p", "main", PodLogStream.Position.START, RETRY, received::add).follow();

        assertThat(received).containsExactly("started");
    }

    @Test
    void anErrorAnswerIsNotTakenForLogLines() throws InterruptedException {
        server.expect().get().withPath(POD).andReturn(200, pod("running")).times(2);
        server.expect().get().withPath(LOG + "&timestamps=true&follow=true")
                .andReturn(500, "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"etcd is away\",\"code\":500}").once();
        server.expect().get().withPath(LOG + "&timestamps=true&follow=true")
                .andReturn(200, lines("2026-12-07T12:00:00.000000000Z real line")).once();
        server.expect().get().withPath(POD).andReturn(200, pod("terminated")).always();
        List<String> received = new CopyOnWriteArrayList<>();

        new PodLogStream(client, "ns", "p", "main", PodLogStream.Position.START, RETRY, received::add).follow();

        assertThat(received).containsExactly("real line");
    }

    private static String lines(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    private static Pod pod(String state) {
        ContainerStateBuilder containerState = new ContainerStateBuilder();
        switch (state) {
            case "waiting" -> containerState.withNewWaiting().withReason("PodInitializing").endWaiting();
            case "running" -> containerState.withNewRunning().endRunning();
            default -> containerState.withNewTerminated().withExitCode(0).endTerminated();
        }
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").endMetadata()
                .withNewStatus().withPhase(state.equals("waiting") ? "Pending" : "Running")
                .addNewContainerStatus().withName("main").withState(containerState.build()).endContainerStatus().endStatus().build();
    }
}
