package dev.atelier.server.compute.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.PrettyLoggable;
import io.fabric8.kubernetes.client.dsl.TimeTailPrettyLoggable;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Follows one container's log while it runs and hands each line, once, to a consumer. The log is
 * read with the kubelet's timestamps ({@code timestamps=true&follow=true}); when the stream ends
 * before the container does (a dropped connection, an API server restart, a container not started
 * yet), it is opened again from the last timestamp seen ({@code sinceTime}, which the API takes in
 * whole seconds) and the lines already handed over are skipped by their timestamp and their rank
 * among the lines of that same timestamp. The log is opened only while the pod says the container
 * runs (before, the API server answers an error). Once the container has terminated (or the pod is gone) the
 * log is read one last time without following, so no line written between a drop and the end is
 * lost. {@link #position} says where a later reader (a server that re-attaches) resumes. One thread
 * calls {@link #follow}; {@link #close} may be called from any other.
 */
public final class PodLogStream implements AutoCloseable {
    /**
     * Where a reader stands: the timestamp of the last line handed over and how many lines of that
     * same timestamp were handed over. {@link #START} before the first line.
     */
    public record Position(Instant time, int linesAtTime) {
        public static final Position START = new Position(Instant.EPOCH, 0);

        public Position {
            requireNonNull(time, "time is null");
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String pod;
    private final String container;
    private final Consumer<String> lines;
    private final Duration retry;
    private volatile Position position;
    private volatile boolean closed;
    private volatile LogWatch openWatch;

    /**
     * @param start where to resume ({@link Position#START} for a new pod)
     * @param retry how long to wait before opening the log again when it ended before the container did
     */
    public PodLogStream(KubernetesClient client, String namespace, String pod, String container, Position start, Duration retry,
                        Consumer<String> lines) {
        this.client = requireNonNull(client, "client is null");
        this.namespace = requireNonNull(namespace, "namespace is null");
        this.pod = requireNonNull(pod, "pod is null");
        this.container = requireNonNull(container, "container is null");
        this.position = requireNonNull(start, "start is null");
        this.retry = requireNonNull(retry, "retry is null");
        this.lines = requireNonNull(lines, "lines is null");
    }

    /**
     * Hands over every line until the container has terminated and its last line was handed over, the
     * pod is gone, or {@link #close} is called.
     *
     * @throws InterruptedException when interrupted between two attempts
     */
    public void follow() throws InterruptedException {
        while (!closed) {
            switch (state()) {
                case ENDED -> {
                    readRest();
                    return;
                }
                case RUNNING -> followOnce();
                case WAITING -> {
                    // Not started yet (init containers run), or the API server did not answer: look again.
                }
            }
            if (!closed) {
                Thread.sleep(retry.toMillis());
            }
        }
    }

    private void followOnce() {
        try (LogWatch watch = log().watchLog()) {
            openWatch = watch;
            read(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8));
        } catch (KubernetesClientException | UncheckedIOException e) {
            // The connection dropped: the caller looks at the container, then opens the log again.
        } finally {
            openWatch = null;
        }
    }

    /** Where a reader resumes after the last line handed over. */
    public Position position() {
        return position;
    }

    /** Stops following; {@link #follow} returns soon after. */
    @Override
    public void close() {
        closed = true;
        LogWatch watch = openWatch;
        if (watch != null) {
            watch.close();
        }
    }

    private PrettyLoggable log() {
        TimeTailPrettyLoggable timestamped = client.pods().inNamespace(namespace).withName(pod).inContainer(container).usingTimestamps();
        return position.equals(Position.START) ? timestamped
                : timestamped.sinceTime(position.time().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    /** The last lines, once the container has ended; a log already gone (the pod deleted) has nothing more. */
    private void readRest() {
        try {
            String rest = log().getLog();
            if (rest != null) {
                read(new StringReader(rest));
            }
        } catch (KubernetesClientException | UncheckedIOException e) {
            // The pod is gone with its log.
        }
    }

    private void read(Reader reader) {
        Position openedAt = position;
        int[] atOpenTime = {0};
        try (BufferedReader buffered = new BufferedReader(reader)) {
            for (String line = buffered.readLine(); line != null && !closed; line = buffered.readLine()) {
                accept(line, openedAt, atOpenTime);
            }
        } catch (IOException e) {
            if (!closed) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * {@code <RFC 3339 time> <line>}. Lines older than where this reading started were handed over
     * before; of the lines of that very time, the first {@code linesAtTime} were. A line without a
     * readable time is no log line (the kubelet stamps every one): an error answer's body, dropped.
     */
    private void accept(String timestamped, Position openedAt, int[] atOpenTime) {
        int space = timestamped.indexOf(' ');
        Instant time;
        try {
            time = Instant.parse(space < 0 ? timestamped : timestamped.substring(0, space));
        } catch (DateTimeParseException e) {
            return;
        }
        int comparison = time.compareTo(openedAt.time());
        if (comparison < 0 || comparison == 0 && ++atOpenTime[0] <= openedAt.linesAtTime()) {
            return;
        }
        Position last = position;
        position = time.equals(last.time()) ? new Position(time, last.linesAtTime() + 1) : new Position(time, 1);
        lines.accept(space < 0 ? "" : timestamped.substring(space + 1));
    }

    private enum State { WAITING, RUNNING, ENDED }

    private State state() {
        Pod current;
        try {
            current = client.pods().inNamespace(namespace).withName(pod).get();
        } catch (KubernetesClientException e) {
            return State.WAITING;
        }
        if (current == null) {
            return State.ENDED;
        }
        String phase = current.getStatus() == null ? null : current.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return State.ENDED;
        }
        List<ContainerStatus> statuses = current.getStatus() == null || current.getStatus().getContainerStatuses() == null ? List.of()
                : current.getStatus().getContainerStatuses();
        return statuses.stream().filter(status -> status.getName().equals(container) && status.getState() != null)
                .map(status -> status.getState().getTerminated() != null ? State.ENDED
                        : status.getState().getRunning() != null ? State.RUNNING : State.WAITING)
                .findFirst().orElse(State.WAITING);
    }
}
