package dev.atelier.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static dev.atelier.bench.TrackingBenchmark.log;

/**
 * The scenarios, each a bounded number of real MLflow REST calls. Targets and MLflow 2.22 figures
 * come from the performance issue; MLflow's were measured with 4 client threads on SQLite on a
 * 2-core machine.
 */
final class TrackingScenarios {
    static final String SEARCH_FILTER = "metrics.acc > 0.5";
    static final String SEARCH_ORDER = "metrics.acc DESC";
    private static final int METRICS_PER_BATCH = 1_000;
    private static final int WARM_UP_RUNS = 10_000;
    private static final int KEYS_PER_BATCH = 10;

    private final BenchOptions options;
    private final ServerProcess server;
    private final MlflowHttp http;

    TrackingScenarios(BenchOptions options, ServerProcess server) {
        this.options = options;
        this.server = server;
        this.http = new MlflowHttp(server.url());
    }

    /** Starts fresh servers (new data folder, new database) and times each to its first 200 on /health. */
    static Scenario coldStart(BenchOptions options, Databases databases) {
        double[] seconds = new double[options.coldStarts()];
        List<String> breakdowns = new ArrayList<>();
        for (int i = 0; i < seconds.length; i++) {
            ServerProcess started;
            try (ServerProcess server = ServerProcess.start(TrackingBenchmark.dataDir(options, "cold-" + i), databases.nextUrl(),
                    options.serverJvmOptions())) {
                seconds[i] = server.startTime().toNanos() / 1e9;
                started = server;
            }
            breakdowns.add(started.startupBreakdown());
            log(String.format(Locale.ROOT, "cold start %d: %.2f s (%s)", i + 1, seconds[i], breakdowns.getLast()));
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        return new Scenario("cold start to first `/health` 200 (new JVM, empty database)", "≤ 2 s",
                String.format(Locale.ROOT, "%.2f s", median), Scenario.Verdict.of(median <= 2.0), "—",
                "median of " + seconds.length + ": " + Arrays.toString(Arrays.stream(seconds)
                        .mapToObj(s -> String.format(Locale.ROOT, "%.2f", s)).toArray()) + "; last: " + breakdowns.getLast());
    }

    List<Scenario> runAll() {
        List<Scenario> results = new ArrayList<>();
        results.add(runCreation());
        results.add(ingest());
        long rss = server.residentMegabytes();
        results.add(new Scenario("server RSS after ingest (VmRSS)", "≤ 300 MB", rss + " MB", Scenario.Verdict.of(rss <= 300), "—",
                "default JVM options" + (options.serverJvmOptions().isEmpty() ? "" : " + " + options.serverJvmOptions())));
        results.add(history());
        String experimentId = populateSearch(results);
        results.add(search(experimentId, "", "", "runs/search, 100 of " + count(options.searchRuns()) + " runs, no filter, default order"));
        results.add(search(experimentId, SEARCH_FILTER, SEARCH_ORDER, "runs/search, 100 of " + count(options.searchRuns())
                + " runs, `" + SEARCH_FILTER + "` order by `" + SEARCH_ORDER + "`"));
        results.add(new Scenario("server peak RSS over the whole run (VmHWM)", "—", server.peakResidentMegabytes() + " MB",
                Scenario.Verdict.NO_TARGET, "—", "RSS now " + server.residentMegabytes() + " MB"));
        return results;
    }

    private Scenario runCreation() {
        String experimentId = http.createExperiment("bench-create");
        long start = System.currentTimeMillis();
        // Warm-up long enough for the server's JIT to settle (with 1,000 runs the timed part still ran partly interpreted).
        Load.run(options.clients(), Math.min(WARM_UP_RUNS, options.runs()), (client, index) -> http.createRun(experimentId, start + index));
        log("run creation: " + options.runs() + " runs on " + options.clients() + " clients");
        CpuUse cpu = CpuUse.start(server);
        Load.Result result = Load.run(options.clients(), options.runs(), (client, index) -> http.createRun(experimentId, start + index));
        return new Scenario("run creation (`runs/create`, " + options.clients() + " clients)", "≥ 2,000 runs/s",
                String.format(Locale.ROOT, "%,.0f runs/s", result.perSecond()), Scenario.Verdict.of(result.perSecond() >= 2_000),
                "~130 runs/s", latencies(result) + ", " + count(options.runs()) + " runs after " + count(Math.min(WARM_UP_RUNS, options.runs())) + " warm-up; "
                        + cpu.perCall(options.runs(), "run"));
    }

    private Scenario ingest() {
        String experimentId = http.createExperiment("bench-ingest");
        String[] runIds = new String[options.clients()];
        for (int client = 0; client < runIds.length; client++) {
            runIds[client] = http.createRun(experimentId, System.currentTimeMillis());
        }
        int warmUp = Math.min(200, options.batches());
        Load.run(options.clients(), warmUp, (client, index) -> http.logBatch(metricBatch(runIds[client], index / options.clients())));
        log("ingest: " + options.batches() + " log-batch calls of " + METRICS_PER_BATCH + " metrics on " + options.clients() + " clients");
        int offset = warmUp / options.clients() + 1;
        CpuUse cpu = CpuUse.start(server);
        Load.Result result = Load.run(options.clients(), options.batches(),
                (client, index) -> http.logBatch(metricBatch(runIds[client], offset + index / options.clients())));
        double points = result.perSecond() * METRICS_PER_BATCH;
        return new Scenario("log-batch ingest (1,000 metrics per call, " + options.clients() + " clients)", "≥ 300,000 points/s",
                String.format(Locale.ROOT, "%,.0f points/s", points), Scenario.Verdict.of(points >= 300_000), "~15,000 points/s",
                latencies(result) + " per call, " + count((long) options.batches() * METRICS_PER_BATCH) + " points; "
                        + cpu.perCall(options.batches(), "call"));
    }

    /** A log-batch body of 1,000 points: 10 keys × 100 consecutive steps starting at {@code call × 100}. */
    static String metricBatch(String runId, int call) {
        StringBuilder body = new StringBuilder(METRICS_PER_BATCH * 72).append("{\"run_id\":\"").append(runId).append("\",\"metrics\":[");
        int steps = METRICS_PER_BATCH / KEYS_PER_BATCH;
        long timestamp = 1_700_000_000_000L + (long) call * steps;
        for (int key = 0; key < KEYS_PER_BATCH; key++) {
            for (int i = 0; i < steps; i++) {
                long step = (long) call * steps + i;
                if (key > 0 || i > 0) {
                    body.append(',');
                }
                body.append("{\"key\":\"metric_").append(key).append("\",\"value\":").append(1.0 / (step + key + 1))
                        .append(",\"timestamp\":").append(timestamp + i).append(",\"step\":").append(step).append('}');
            }
        }
        return body.append("]}").toString();
    }

    private Scenario history() {
        String experimentId = http.createExperiment("bench-history");
        String runId = http.createRun(experimentId, System.currentTimeMillis());
        int points = options.historyPoints();
        for (int first = 0; first < points; first += METRICS_PER_BATCH) {
            StringBuilder body = new StringBuilder("{\"run_id\":\"" + runId + "\",\"metrics\":[");
            for (int step = first; step < Math.min(points, first + METRICS_PER_BATCH); step++) {
                body.append(step == first ? "" : ",").append("{\"key\":\"loss\",\"value\":").append(Math.exp(-step / 1000.0))
                        .append(",\"timestamp\":").append(1_700_000_000_000L + step).append(",\"step\":").append(step).append('}');
            }
            http.logBatch(body.append("]}").toString());
        }
        int answered = http.getHistory(runId, "loss").get("metrics").size();
        if (answered != points) {
            throw new IllegalStateException("get-history answered " + answered + " points, expected " + points);
        }
        Load.run(1, 10, (client, index) -> http.getHistoryBytes(runId, "loss"));
        log("history: " + options.samples() + " reads of " + points + " points");
        Load.Result result = Load.run(1, options.samples(), (client, index) -> http.getHistoryBytes(runId, "loss"));
        double p50 = result.percentileMillis(50);
        return new Scenario("`metrics/get-history`, one metric of " + count(points) + " points", "≤ 20 ms p50",
                String.format(Locale.ROOT, "%.1f ms p50", p50), Scenario.Verdict.of(p50 <= 20), "~550 ms",
                latencies(result) + ", " + options.samples() + " sequential reads");
    }

    /** Creates the searched experiment: each run gets a metric {@code acc} uniform in [0, 1) and a param. */
    private String populateSearch(List<Scenario> results) {
        String experimentId = http.createExperiment("bench-search");
        int runs = options.searchRuns();
        long start = System.currentTimeMillis();
        log("search: creating " + runs + " runs with a metric and a param each " + (options.populateOverHttp()
                ? "over HTTP (runs/create + log-batch)" : "through the store in the bench JVM") + " on " + options.clients() + " clients");
        Load.Result result;
        if (options.populateOverHttp()) {
            result = Load.run(options.clients(), runs, (client, index) -> {
                String runId = http.createRun(experimentId, start + index);
                http.logBatch("{\"run_id\":\"" + runId + "\",\"metrics\":[{\"key\":\"acc\",\"value\":" + DirectPopulation.accuracy(index)
                        + ",\"timestamp\":" + (start + index) + ",\"step\":0}],\"params\":[{\"key\":\"seed\",\"value\":\"" + index + "\"}]}");
            });
        } else {
            String location = http.get("experiments/get?experiment_id=" + experimentId).get("experiment").get("artifact_location").asText();
            result = DirectPopulation.populate(server.dataDir(), server.databaseUrl(), Long.parseLong(experimentId), location, runs,
                    options.clients(), start);
        }
        results.add(new Scenario("populate the searched experiment (1 metric, 1 param per run; "
                + (options.populateOverHttp() ? "HTTP" : "store calls in the bench JVM") + ", " + options.clients() + " clients)",
                "—", String.format(Locale.ROOT, "%,.0f runs/s", result.perSecond()), Scenario.Verdict.NO_TARGET, "—",
                count(runs) + " runs in " + String.format(Locale.ROOT, "%.0f s", result.wallNanos() / 1e9)));
        return experimentId;
    }

    private Scenario search(String experimentId, String filter, String orderBy, String name) {
        String target = "≤ 100 ms p50";
        String reference = "~90 ms p50 (2,000 runs)";
        JsonNode first;
        try {
            first = http.searchRuns(experimentId, filter, orderBy, 100);
        } catch (MlflowHttp.HttpFailure e) {
            return new Scenario(name, target, "HTTP " + e.status(), Scenario.Verdict.NOT_MEASURABLE, reference,
                    "the server refuses the query: " + e.getMessage());
        }
        String check = checkSearchPage(first, filter, orderBy);
        for (int i = 0; i < 5; i++) {
            http.searchRunsBytes(experimentId, filter, orderBy, 100);
        }
        log("search: " + options.samples() + " searches, filter '" + filter + "', order '" + orderBy + "'");
        Load.Result result = Load.run(1, options.samples(), (client, index) -> http.searchRunsBytes(experimentId, filter, orderBy, 100));
        double p50 = result.percentileMillis(50);
        Scenario.Verdict verdict = check.isEmpty() ? Scenario.Verdict.of(p50 <= 100) : Scenario.Verdict.NOT_MEASURABLE;
        return new Scenario(name, target, String.format(Locale.ROOT, "%.1f ms p50", p50), verdict, reference,
                latencies(result) + ", " + options.samples() + " sequential searches" + (check.isEmpty() ? "" : "; " + check));
    }

    /** Empty when the page is what the query asks for; otherwise what is wrong with it. */
    private static String checkSearchPage(JsonNode page, String filter, String orderBy) {
        JsonNode runs = page.path("runs");
        if (runs.size() != 100) {
            return "answered " + runs.size() + " runs, expected 100";
        }
        if (filter.isEmpty() && orderBy.isEmpty()) {
            return "";
        }
        double previous = Double.POSITIVE_INFINITY;
        for (JsonNode run : runs) {
            double accuracy = Double.NaN;
            for (JsonNode metric : run.path("data").path("metrics")) {
                if ("acc".equals(metric.path("key").asText())) {
                    accuracy = metric.path("value").asDouble();
                }
            }
            if (!(accuracy > 0.5) || accuracy > previous) {
                return "answered 200 but the page is not filtered and ordered by acc (filter and order_by ignored), "
                        + "so this times an unfiltered search";
            }
            previous = accuracy;
        }
        return "";
    }

    private static String latencies(Load.Result result) {
        return String.format(Locale.ROOT, "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms", result.percentileMillis(50),
                result.percentileMillis(95), result.percentileMillis(99));
    }

    private static String count(long number) {
        return String.format(Locale.ROOT, "%,d", number);
    }
}
