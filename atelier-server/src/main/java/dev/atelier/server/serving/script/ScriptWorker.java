package dev.atelier.server.serving.script;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.compute.local.ProcessTree;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One runner process on 127.0.0.1: its output goes line by line into the deployment's {@link WorkerLog} (and the
 * last lines into its own tail, for the reason it failed to start), and it is reachable once it printed the port
 * it listens on. Thread-safe.
 */
final class ScriptWorker {
    private static final int TAIL_LINES = 30;
    private static final long DRAIN_MILLIS = 2000;

    private final int index;
    private final Process process;
    private final String secret;
    private final WorkerLog log;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final CompletableFuture<Integer> listening = new CompletableFuture<>();
    private final Thread stderrPump;
    private volatile URI base;

    private ScriptWorker(int index, Process process, String secret, WorkerLog log) {
        this.index = index;
        this.process = process;
        this.secret = secret;
        this.log = log;
        Thread.ofVirtual().name("script-worker-" + index + "-stdout").start(() -> pump(process.getInputStream(), true));
        this.stderrPump = Thread.ofVirtual().name("script-worker-" + index + "-stderr").start(() -> pump(process.getErrorStream(), false));
    }

    /** Watches a started runner process whose calls must carry {@code secret}; it is not reachable before {@link #awaitListening} returned. */
    static ScriptWorker launch(int index, Process process, String secret, WorkerLog log) {
        return new ScriptWorker(index, process, secret, log);
    }

    /**
     * Waits until the runner listens (the script imported, {@code init()} returned).
     *
     * @throws AtelierException when it exited first or took longer than {@code timeout}; the message carries the
     *                          worker's last output lines (such as {@code init()}'s traceback). The process is then stopped.
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
        ProcessTree.kill(List.of(process));
        throw new AtelierException(ErrorCode.INVALID_STATE, "Deployment " + deploymentId + ": worker " + index
                + " failed to start: " + failure + ". Its last output:\n" + tailText());
    }

    /** The secret every call to it carries in {@link ScoringRunner#SECRET_HEADER}. */
    String secret() {
        return secret;
    }

    int index() {
        return index;
    }

    Process process() {
        return process;
    }

    boolean alive() {
        return process.isAlive();
    }

    URI scoreUri() {
        return base.resolve("/score");
    }

    /** Whether it runs and answers {@code GET /health} with 200 within {@code timeout}. */
    boolean healthy(HttpClient http, Duration timeout) {
        if (!process.isAlive() || base == null) {
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
        try {
            if (!process.waitFor(DRAIN_MILLIS, TimeUnit.MILLISECONDS)) {
                return "it closed its output but still runs";
            }
            stderrPump.join(DRAIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int code = process.exitValue();
        return code == ScoringRunner.INIT_FAILED_EXIT ? "importing the scoring script or its init() failed (exit code " + code + ")"
                : "it exited with code " + code;
    }

    private void pump(InputStream stream, boolean stdout) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                remember(line);
                log.worker(index, line);
                if (stdout && !listening.isDone() && line.startsWith(ScoringRunner.LISTENING_PREFIX)) {
                    listening.complete(parsePort(line.substring(ScoringRunner.LISTENING_PREFIX.length()).trim()));
                }
            }
        } catch (IOException e) {
            log.worker(index, (stdout ? "stdout" : "stderr") + " closed: " + e.getMessage());
        } finally {
            if (stdout) {
                listening.complete(-1);
            }
        }
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
