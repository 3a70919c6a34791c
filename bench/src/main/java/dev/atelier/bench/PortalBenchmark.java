package dev.atelier.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Benchmark of the web portal against a real server in a child JVM (SQLite): the time to answer
 * the runs table's first page of an experiment of 100,000 runs, and the page of a run with a
 * 1,000,000-point metric, each requested {@code --samples} times in a row after warm-up, timed from
 * sending the request to the last byte of the HTML. Not a test: run it with {@code bench/portal.sh}.
 */
public final class PortalBenchmark {
    private static final String TARGET = "≤ 150 ms p50";

    private PortalBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int runs = 100_000;
        int points = 1_000_000;
        int samples = 50;
        Path workDir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--points" -> points = Integer.parseInt(args[++i]);
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--work-dir" -> workDir = Path.of(args[++i]);
                case "--quick" -> {
                    runs = 5_000;
                    points = 100_000;
                    samples = 20;
                }
                default -> {
                    System.err.println("usage: bench/portal.sh [--runs N] [--points N] [--samples N] [--work-dir DIR] [--quick]");
                    System.exit(2);
                }
            }
        }
        Path work = workDir != null ? workDir : Files.createTempDirectory("atelier-portal-bench");
        // A work folder of an earlier run keeps its data: the pages are measured again without filling it anew.
        boolean reuse = Files.exists(work.resolve("server").resolve("atelier.db"));
        List<Scenario> results = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(work.resolve("server"), Optional.empty(), List.of())) {
            MlflowHttp http = new MlflowHttp(server.url());
            if (reuse) {
                String experimentId = http.get("experiments/get-by-name?experiment_name=portal-bench").get("experiment")
                        .get("experiment_id").asText();
                String longRun = http.searchRuns(experimentId, "metrics.loss >= 0", "", 1).get("runs").get(0).get("info")
                        .get("run_id").asText();
                TrackingBenchmark.log("portal: reusing the data in " + work);
                results.add(measure(server.url() + "/experiments/" + experimentId, samples, "data-run-id=",
                        "runs table, first page (100 rows) of an experiment of " + count(runs) + " runs"));
                results.add(measure(server.url() + "/runs/" + longRun, samples, "data-point-count=\"1000\"",
                        "run page of a run with a " + count(points) + "-point metric (chart downsampled to 1,000 points)"));
                print(results);
                return;
            }
            String experimentId = http.createExperiment("portal-bench");
            String location = http.get("experiments/get?experiment_id=" + experimentId).get("experiment").get("artifact_location").asText();
            TrackingBenchmark.log("portal: creating " + runs + " runs through the store");
            Load.Result populated = DirectPopulation.populate(server.dataDir(), server.databaseUrl(), Long.parseLong(experimentId),
                    location, runs, 8, System.currentTimeMillis() - runs);
            TrackingBenchmark.log(String.format(Locale.ROOT, "portal: %d runs in %.0f s", runs, populated.wallNanos() / 1e9));
            String longRun = http.createRun(experimentId, System.currentTimeMillis());
            TrackingBenchmark.log("portal: logging " + points + " points of one metric over HTTP");
            logPoints(http, longRun, points);
            results.add(measure(server.url() + "/experiments/" + experimentId, samples, "data-run-id=",
                    "runs table, first page (100 rows) of an experiment of " + count(runs) + " runs"));
            results.add(measure(server.url() + "/runs/" + longRun, samples, "data-point-count=\"1000\"",
                    "run page of a run with a " + count(points) + "-point metric (chart downsampled to 1,000 points)"));
        }
        print(results);
    }

    private static void print(List<Scenario> results) {
        System.out.println();
        System.out.printf(Locale.ROOT, "Atelier portal benchmark on SQLite, %d cores, %s%n%n", Runtime.getRuntime().availableProcessors(),
                java.time.LocalDate.now());
        System.out.println("| page | target | measured | verdict | notes |");
        System.out.println("|---|---|---|---|---|");
        results.forEach(result -> System.out.println("| " + String.join(" | ", result.name(), result.target(), result.measured(),
                result.verdict() == Scenario.Verdict.MET ? "met" : "**missed**", result.notes()) + " |"));
    }

    private static void logPoints(MlflowHttp http, String runId, int points) {
        long start = System.currentTimeMillis();
        for (int first = 0; first < points; first += 1000) {
            StringBuilder body = new StringBuilder("{\"run_id\":\"").append(runId).append("\",\"metrics\":[");
            for (int step = first; step < Math.min(points, first + 1000); step++) {
                body.append(step == first ? "" : ",").append("{\"key\":\"loss\",\"value\":").append(1.0 / (1 + step * 0.001))
                        .append(",\"timestamp\":").append(start + step).append(",\"step\":").append(step).append('}');
            }
            http.logBatch(body.append("]}").toString());
        }
    }

    /** GETs {@code url} as a browser does, 10 times to warm up, then {@code samples} times timed; checks each answer. */
    private static Scenario measure(String url, int samples, String expected, String name) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").timeout(Duration.ofSeconds(120)).GET().build();
        long[] latencies = new long[samples];
        int bytes = 0;
        for (int i = -10; i < samples; i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> response = send(client, request);
            long elapsed = System.nanoTime() - start;
            String body = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
            if (response.statusCode() != 200 || !body.contains(expected)) {
                throw new IllegalStateException("unexpected answer from " + url + ": " + response.statusCode() + " "
                        + body.substring(0, Math.min(300, body.length())));
            }
            if (i >= 0) {
                latencies[i] = elapsed;
                bytes = response.body().length;
            }
        }
        Load.Result result = new Load.Result(samples, java.util.Arrays.stream(latencies).sum(), latencies);
        double p50 = result.percentileMillis(50);
        TrackingBenchmark.log(String.format(Locale.ROOT, "portal: %s: p50 %.1f ms", name, p50));
        return new Scenario(name, TARGET, String.format(Locale.ROOT, "%.1f ms p50", p50), Scenario.Verdict.of(p50 <= 150), "—",
                String.format(Locale.ROOT, "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, %d sequential requests, %,d bytes of HTML", p50,
                        result.percentileMillis(95), result.percentileMillis(99), samples, bytes));
    }

    private static HttpResponse<byte[]> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String count(long number) {
        return String.format(Locale.ROOT, "%,d", number);
    }
}
