package dev.atelier.server.serving.script;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One start of one worker (a replica of the deployment's service workload): the lines it writes go into the
 * deployment's {@link WorkerLog} (and the last ones into its own tail, for the reason it failed to start), and it is
 * reachable once it printed the port it listens on. Its lines and its exit arrive from the compute backend through
 * {@link #line} and {@link #exited}. Thread-safe.
 */
final class ScriptWorker {
    private static final int TAIL_LINES = 30;
    private static final long DRAIN_MILLIS = 2000;

    private final int index;
    private final String secret;
    private final WorkerLog log;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final CompletableFuture<Integer> listening = new CompletableFuture<>();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private volatile URI base;

    /** A worker about to start, whose calls must carry {@code secret}; it is not reachable before {@link #awaitListening} returned. */
    ScriptWorker(int index, String secret, WorkerLog log) {
        this.index = index;
        this.secret = secret;
        this.log = log;
    }

    /**
     * Waits until the runner listens (the script imported, {@code init()} returned).
     *
     * @throws AtelierException when it exited first or took longer than {@code timeout}; the message carries the
     *                          worker's last output lines (such as {@code init()}'s traceback). The caller stops it.
     */
    void awaitListening(String deploymentId, Duration timeout) {
        String failure;
        try {
            int port = listening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (port > 0) {
                base = URI.create("http://127.0.0.1:" + port);
                return;
            }
            failure = exitReason();
        } catch (TimeoutException e) {
            failure = "it did not listen within " + timeout.toSeconds() + " s (startup timeout)";
        } catch (ExecutionException e) {
            failure = "its output could not be read: " + e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "the server stopped waiting for it";
        }
        throw new AtelierException(ErrorCode.INVALID_STATE, "Deployment " + deploymentId + ": worker " + index
                + " failed to start: " + failure + ". Its last output:\n" + tailText());
    }

    /** One line it wrote on {@code stream}. */
    void line(String stream, String line) {
        remember(line);
        log.worker(index, line);
        if ("stdout".equals(stream) && !listening.isDone() && line.startsWith(ScoringRunner.LISTENING_PREFIX)) {
            listening.complete(parsePort(line.substring(ScoringRunner.LISTENING_PREFIX.length()).trim()));
        }
    }

    /** It ended with {@code exitCode}, after its last line. */
    void exited(int exitCode) {
        exit.complete(exitCode);
        listening.complete(-1);
    }

    /** The secret every call to it carries in {@link ScoringRunner#SECRET_HEADER}. */
    String secret() {
        return secret;
    }

    int index() {
        return index;
    }

    boolean alive() {
        return !exit.isDone();
    }

    URI scoreUri() {
        return base.resolve("/score");
    }

    /** Whether it runs and answers {@code GET /health} with 200 within {@code timeout}. */
    boolean healthy(HttpClient http, Duration timeout) {
        if (!alive() || base == null) {
            return false;
        }
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/health")).timeout(timeout)
                .header(ScoringRunner.SECRET_HEADER, secret).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** How it ended, for a log line or a message: exit code and what it means. */
    String exitReason() {
        int code;
        try {
            code = exit.get(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return "it closed its output but still runs";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "the server stopped waiting for it";
        }
        return code == ScoringRunner.INIT_FAILED_EXIT ? "importing the scoring script or its init() failed (exit code " + code + ")"
                : "it exited with code " + code;
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private synchronized void remember(String line) {
        if (tail.size() == TAIL_LINES) {
            tail.removeFirst();
        }
        tail.addLast(line);
    }

    private synchronized String tailText() {
        return tail.isEmpty() ? "(nothing)" : String.join("\n", tail);
    }
}
