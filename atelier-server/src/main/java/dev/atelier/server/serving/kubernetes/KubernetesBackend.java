package dev.atelier.server.serving.kubernetes;

import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.server.compute.ServiceHandle;
import dev.atelier.server.compute.ServiceStatus;
import dev.atelier.server.serving.DeploymentBackend;
import dev.atelier.server.serving.protocol.ScoringCall;
import dev.atelier.server.serving.protocol.ScoringResponse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * A deployment running on Kubernetes, seen from the server: every scoring call goes to its Service's {@code POST
 * /score} over keep-alive HTTP/1.1 connections and the answer is mapped to the call's protocol ({@link ScoringAnswers}).
 * {@link #ready()} answers from the Deployment's status, read in the background every refresh interval, never on the
 * calling thread. Closing it stops the reading and the connections, and leaves the Kubernetes objects alone (they are
 * the deployment's service workload, deleted with it): another server replica may be serving them too.
 * Thread-safe.
 */
public final class KubernetesBackend implements DeploymentBackend {
    private final String deployment;
    private final URI scoreUri;
    private final Supplier<ServiceStatus> statuses;
    private final IntFunction<List<String>> logs;
    private final Optional<ModelSignature> signature;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final Thread refresher;
    private final AtomicLong reads = new AtomicLong();
    private long newestStored;
    private volatile Optional<ServiceStatus> status = Optional.empty();
    private volatile Optional<String> statusError = Optional.empty();

    /**
     * Starts answering for the deployment served as {@code service}, at {@code address} (its Service URL).
     *
     * @param requestTimeout  how long one call may take before it fails (the deployment's request timeout)
     * @param refreshInterval how often the Deployment's status is read
     */
    public static KubernetesBackend start(ServiceHandle service, String deployment, String address, Optional<ModelSignature> signature,
                                          Duration requestTimeout, Duration refreshInterval) {
        KubernetesBackend backend = new KubernetesBackend(deployment, address, service::status, service::logs, signature, requestTimeout,
                refreshInterval);
        // Read the status once before answering, so that a rolled-out deployment is ready as soon as it is started.
        backend.refreshStatus();
        return backend;
    }

    KubernetesBackend(String deployment, String serviceUrl, Supplier<ServiceStatus> statuses, IntFunction<List<String>> logs,
                      Optional<ModelSignature> signature, Duration requestTimeout, Duration refreshInterval) {
        this.deployment = requireNonNull(deployment, "deployment is null");
        this.scoreUri = URI.create(requireNonNull(serviceUrl, "serviceUrl is null").replaceAll("/+$", "") + "/score");
        this.statuses = requireNonNull(statuses, "statuses is null");
        this.logs = requireNonNull(logs, "logs is null");
        this.signature = requireNonNull(signature, "signature is null");
        this.requestTimeout = requireNonNull(requestTimeout, "requestTimeout is null");
        requireNonNull(refreshInterval, "refreshInterval is null");
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        this.refresher = Thread.ofVirtual().name("k8s-deployment-status-" + deployment).start(() -> refreshEvery(refreshInterval));
    }

    /**
     * @throws dev.atelier.api.AtelierException when the scoring script answered 4xx (the input does not fit)
     * @throws ServiceCallFailure                   when it answered anything else not 2xx, or did not answer in time
     */
    @Override
    public ScoringResponse score(ScoringCall call) {
        HttpRequest request = HttpRequest.newBuilder(scoreUri).timeout(requestTimeout)
                .header("Content-Type", call.contentType().isEmpty() ? "application/json" : call.contentType())
                .header("x-request-id", call.requestId())
                .POST(HttpRequest.BodyPublishers.ofByteArray(call.body())).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new ServiceCallFailure("Deployment '" + deployment + "' did not answer within " + requestTimeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new ServiceCallFailure("Deployment '" + deployment + "' could not be reached at " + scoreUri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceCallFailure("Interrupted while waiting for deployment '" + deployment + "'", e);
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        return ScoringAnswers.map(call, deployment, response.statusCode(), contentType, response.body());
    }

    /** Whether the last status read had as many ready pods as the instance count (false until the first read). */
    @Override
    public boolean ready() {
        return status.map(ServiceStatus::available).orElse(false);
    }

    /** The last status read in the background; empty before the first read. */
    public Optional<ServiceStatus> lastStatus() {
        return status;
    }

    /** Why the last background read failed (the cluster could not be reached); empty when it succeeded. */
    public Optional<String> lastStatusError() {
        return statusError;
    }

    /**
     * Reads the status now, keeps it for {@link #ready()} and returns it. A read that began before another one
     * ended is not kept after it, so a slow background read never replaces a newer status.
     */
    public ServiceStatus refreshStatus() {
        long read = reads.incrementAndGet();
        ServiceStatus current = statuses.get();
        synchronized (this) {
            if (read > newestStored) {
                newestStored = read;
                status = Optional.of(current);
                statusError = Optional.empty();
            }
        }
        return current;
    }

    @Override
    public Optional<ModelSignature> signature() {
        return signature;
    }

    @Override
    public List<String> logs(int tail) {
        return logs.apply(tail);
    }

    @Override
    public void close() {
        refresher.interrupt();
        http.shutdownNow();
    }

    private void refreshEvery(Duration interval) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                refreshStatus();
            } catch (RuntimeException e) {
                // The cluster may be away for a moment: keep the last status, say why it is old.
                statusError = Optional.of(String.valueOf(e.getMessage()));
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
