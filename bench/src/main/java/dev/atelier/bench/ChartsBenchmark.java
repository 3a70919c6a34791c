package dev.atelier.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Benchmark of an experiment's Charts view (issue 22) against a real server in a child JVM (SQLite): an experiment of
 * {@code --runs} (1,000) runs, each with {@code --metrics} (3) metrics of {@code --steps} (1,000) steps and two params,
 * logged over HTTP. A browser's way to its first chart is the page (HTML, a shell) and then the one JSON answer that
 * holds every chart ({@code /charts/data}: the charted runs' histories read in one query and downsampled on the
 * server); both are requested one after the other, 5 times to warm up and {@code --samples} (20) times timed, from
 * sending the request to the last byte. Drawing in the browser is not included. Not a test: run it with
 * {@code bench/run-charts.sh}.
 */
public final class ChartsBenchmark {
    private static final double TARGET_MILLIS = 300;

    private ChartsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 1000;
        int metrics = 3;
        int steps = 1000;
        int samples = 20;
        Path workDir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--metrics" -> metrics = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--work-dir" -> workDir = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: bench/run-charts.sh [--runs N] [--metrics N] [--steps N] [--samples N] [--work-dir DIR]");
                    System.exit(2);
                }
            }
        }
        Path work = workDir != null ? workDir : Files.createTempDirectory("atelier-charts-bench");
        boolean reuse = Files.exists(work.resolve("server").resolve("atelier.db"));
        try (ServerProcess server = ServerProcess.start(work.resolve("server"), Optional.empty(), List.of())) {
            MlflowHttp http = new MlflowHttp(server.url());
            String experimentId;
            if (reuse) {
                experimentId = http.get("experiments/get-by-name?experiment_name=charts-bench").get("experiment").get("experiment_id").asText();
                TrackingBenchmark.log("charts: reusing the data in " + work);
            } else {
                experimentId = http.createExperiment("charts-bench");
                long start = System.nanoTime();
                populate(http, experimentId, runs, metrics, steps);
                TrackingBenchmark.log(String.format(Locale.ROOT, "charts: %d runs × %d metrics × %d steps logged in %.0f s", runs, metrics,
                        steps, (System.nanoTime() - start) / 1e9));
            }
            String page = server.url() + "/experiments/" + experimentId + "/charts";
            String data = server.url() + "/experiments/" + experimentId + "/charts/data?filter=&view=ACTIVE_ONLY";
            measure(page, data, samples, runs, metrics, steps);
        }
    }

    /** Logs the runs on 4 threads: per run one log-batch of params and one per metric (1,000 points each at most). */
    private static void populate(MlflowHttp http, String experimentId, int runs, int metrics, int steps) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            long now = System.currentTimeMillis();
            for (int r = 0; r < runs; r++) {
                int run = r;
                done.add(pool.submit(() -> {
                    String runId = http.createRun(experimentId, now + run);
                    http.logBatch("{\"run_id\":\"" + runId + "\",\"params\":[{\"key\":\"lr\",\"value\":\"" + (0.001 * (1 + run % 10))
                            + "\"},{\"key\":\"optimizer\",\"value\":\"" + (run % 2 == 0 ? "adam" : "sgd") + "\"}]}");
                    for (int m = 0; m < metrics; m++) {
                        for (int first = 0; first < steps; first += 1000) {
                            StringBuilder body = new StringBuilder("{\"run_id\":\"").append(runId).append("\",\"metrics\":[");
                            for (int step = first; step < Math.min(steps, first + 1000); step++) {
                                body.append(step == first ? "" : ",").append("{\"key\":\"metric_").append(m).append("\",\"value\":")
                                        .append(1.0 / (1 + step * 0.01 * (1 + run % 7))).append(",\"timestamp\":")
                                        .append(now + step * 100L).append(",\"step\":").append(step).append('}');
                            }
                            http.logBatch(body.append("]}").toString());
                        }
                    }
                    if (run % 100 == 99) {
                        TrackingBenchmark.log("charts: " + (run + 1) + " runs logged");
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void measure(String pageUrl, String dataUrl, int samples, int runs, int metrics, int steps) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest page = HttpRequest.newBuilder(URI.create(pageUrl)).header("Accept", "text/html").timeout(Duration.ofSeconds(120)).GET().build();
        HttpRequest data = HttpRequest.newBuilder(URI.create(dataUrl)).header("Accept", "application/json").timeout(Duration.ofSeconds(120))
                .GET().build();
        long[] pageTimes = new long[samples];
        long[] dataTimes = new long[samples];
        long[] firstChart = new long[samples];
        int pageBytes = 0;
        int dataBytes = 0;
        for (int i = -5; i < samples; i++) {
            long start = System.nanoTime();
            byte[] html = fetch(client, page, "id=\"experiment-charts\"");
            long middle = System.nanoTime();
            byte[] json = fetch(client, data, "\"charts\"");
            long end = System.nanoTime();
            if (i >= 0) {
                pageTimes[i] = middle - start;
                dataTimes[i] = end - middle;
                firstChart[i] = end - start;
                pageBytes = html.length;
                dataBytes = json.length;
            }
        }
        double p50 = percentile(firstChart, 50);
        System.out.println();
        System.out.printf(Locale.ROOT, "Atelier charts-view benchmark on SQLite, %d cores, %s: %,d runs × %d metrics × %,d steps%n%n",
                Runtime.getRuntime().availableProcessors(), java.time.LocalDate.now(), runs, metrics, steps);
        System.out.println("| measure | target | p50 | p95 | max | notes |");
        System.out.println("|---|---|---|---|---|---|");
        row("page (HTML shell)", "—", pageTimes, String.format(Locale.ROOT, "%,d bytes", pageBytes));
        row("chart data (one JSON answer: every chart)", "—", dataTimes, String.format(Locale.ROOT, "%,d bytes", dataBytes));
        row("first chart's data in the browser (page, then data)", p50 <= TARGET_MILLIS ? "≤ 300 ms: met" : "≤ 300 ms: **missed**",
                firstChart, samples + " sequential samples after 5 warm-ups; drawing not included");
    }

    private static void row(String name, String target, long[] nanos, String notes) {
        System.out.printf(Locale.ROOT, "| %s | %s | %.1f ms | %.1f ms | %.1f ms | %s |%n", name, target, percentile(nanos, 50),
                percentile(nanos, 95), percentile(nanos, 100), notes);
    }

    private static double percentile(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1));
        return sorted[index] / 1e6;
    }

    private static byte[] fetch(HttpClient client, HttpRequest request, String expected) {
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            String body = new String(response.body(), StandardCharsets.UTF_8);
            if (response.statusCode() != 200 || !body.contains(expected)) {
                throw new IllegalStateException("unexpected answer from " + request.uri() + ": " + response.statusCode() + " "
                        + body.substring(0, Math.min(300, body.length())));
            }
            return response.body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
