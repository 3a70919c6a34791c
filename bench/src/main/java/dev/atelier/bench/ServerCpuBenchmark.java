package dev.atelier.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.store.Database;
import dev.atelier.server.tracking.JdbcTrackingStore;
import dev.atelier.server.tracking.KeyValue;
import dev.atelier.server.tracking.Metric;
import dev.atelier.server.tracking.NewRun;
import dev.atelier.server.tracking.RunStatus;
import dev.atelier.server.tracking.TrackingService;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.atelier.bench.TrackingBenchmark.log;

/**
 * The server's CPU time per call of runs/create with a name and two tags, and of runs/search pages of
 * 100 runs filtered on a tag, a param and attributes at {@code --search-runs} runs: the server JVM's
 * CPU time delta over the timed calls divided by their number (as the tracking benchmark's
 * throughput scenarios report it). CPU per call hardly depends on the machine's other load, unlike
 * latency. Run with {@code bench/run.sh --server-cpu [--postgres]}.
 */
public final class ServerCpuBenchmark {
    /** Tag values: a tag filter matches 1 run in {@value}. */
    static final int GROUPS = 30;
    /** Param values: a param filter matches 1 run in {@value}. */
    static final int LEARNING_RATES = 10;

    private ServerCpuBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        BenchOptions options = BenchOptions.parse(args);
        try (Databases databases = Databases.of(options)) {
            log("database: " + databases.describe() + "; work folder " + options.workDir());
            Optional<String> url = databases.nextUrl();
            java.nio.file.Path dataDir = options.workDir().resolve("server");
            // The server holds the SQLite file while it runs: the searched runs are written between two starts. A work
            // folder populated before (same --search-runs, SQLite) is used again: 100,000 runs take minutes to write.
            java.nio.file.Path marker = options.workDir().resolve("populated-" + options.searchRuns());
            String experimentId;
            if (url.isEmpty() && java.nio.file.Files.exists(marker)) {
                experimentId = java.nio.file.Files.readString(marker).strip();
                log("search: the " + options.searchRuns() + " runs of experiment " + experimentId + " written before");
            } else {
                try (ServerProcess server = ServerProcess.start(dataDir, url, options.serverJvmOptions())) {
                    experimentId = new MlflowHttp(server.url()).createExperiment("cpu-search");
                }
                populate(options, dataDir, url, Long.parseLong(experimentId));
                java.nio.file.Files.writeString(marker, experimentId);
            }
            try (ServerProcess server = ServerProcess.start(dataDir, url, options.serverJvmOptions())) {
                MlflowHttp http = new MlflowHttp(server.url());
                List<String> rows = new ArrayList<>();
                // The second start of a data folder, as a user's every start after the first (the class-data archive exists).
                rows.add(String.format(Locale.ROOT, "| server start to the first `/health` 200 (second start, %s runs in the database) "
                                + "| %,d ms | wall %,d ms; %s |", String.format(Locale.ROOT, "%,d", options.searchRuns()),
                        server.cpuTime().toMillis(), server.startTime().toMillis(), server.startupBreakdown()));
                rows.add(create(options, server, http));
                String runs = String.format(Locale.ROOT, "%,d", options.searchRuns());
                String byStart = "attributes.start_time DESC";
                rows.add(search(options, server, http, experimentId, "tags.group = 'g7' and attributes.status = 'FINISHED'", byStart,
                        "tag and status filter, order by start time, of " + runs + " runs"));
                rows.add(search(options, server, http, experimentId, "params.lr = '0.003'", "",
                        "param filter, default order, of " + runs + " runs"));
                rows.add(search(options, server, http, experimentId, "attributes.status = 'FAILED'", byStart,
                        "attribute filter (status), order by start time, of " + runs + " runs"));
                rows.add(search(options, server, http, experimentId, "attributes.run_name LIKE 'run-12%'", "",
                        "attribute filter (run_name LIKE), default order, of " + runs + " runs"));
                rows.add(search(options, server, http, experimentId, "", "", "no filter, default order, of " + runs + " runs"));
                System.out.println();
                System.out.printf(Locale.ROOT, "Atelier server CPU per call on %s, %d cores, %s, load average %s%n%n",
                        databases.describe(), Runtime.getRuntime().availableProcessors(), java.time.LocalDate.now(), loadAverage());
                System.out.println("| call | server CPU per call | notes |");
                System.out.println("|---|---|---|");
                rows.forEach(System.out::println);
            }
        }
    }

    /** runs/create with run_name and two tags on {@code --clients} clients, after as many warm-up calls. */
    private static String create(BenchOptions options, ServerProcess server, MlflowHttp http) {
        String experimentId = http.createExperiment("cpu-create-" + System.currentTimeMillis());
        long start = System.currentTimeMillis();
        Load.Operation create = (client, index) -> http.post("runs/create", Map.of("experiment_id", experimentId,
                "start_time", start + index, "user_id", "bench", "run_name", "run-" + index,
                "tags", List.of(Map.of("key", "team", "value", "vision"), Map.of("key", "stage", "value", "train"))));
        Load.run(options.clients(), options.runs(), create);
        log("runs/create with 2 tags: " + options.runs() + " calls on " + options.clients() + " clients");
        CpuUse cpu = CpuUse.start(server);
        Load.Result result = Load.run(options.clients(), options.runs(), create);
        return String.format(Locale.ROOT, "| runs/create, run_name + 2 tags, %d clients | %.3f ms | %,d calls after as many warm-up; "
                        + "%,.0f calls/s; %s |", options.clients(), cpu.serverMillisPerCall(options.runs()), options.runs(),
                result.perSecond(), cpu.perCall(options.runs(), "call"));
    }

    /**
     * The searched experiment, through the store in the bench JVM: run {@code i} starts at {@code start + i}, has the
     * tags mlflow.runName, mlflow.user and {@code group = g(i % 30)}, the param {@code lr} (one of 10 values), the
     * metric {@code acc}, and is FAILED when {@code i % 10 == 3}, otherwise FINISHED.
     */
    private static void populate(BenchOptions options, java.nio.file.Path dataDir, Optional<String> url, long experiment) {
        long start = System.currentTimeMillis() - options.searchRuns();
        log("search: creating " + options.searchRuns() + " runs through the store");
        try (Database database = url.map(Database::open).orElseGet(() -> Database.openSqlite(dataDir.resolve("atelier.db")))) {
            JdbcTrackingStore store = new JdbcTrackingStore(database);
            Load.run(options.clients(), options.searchRuns(), (client, index) -> {
                String runId = UUID.randomUUID().toString().replace("-", "");
                String name = "run-" + index;
                store.createRun("default", new NewRun(runId, experiment, name, "bench", RunStatus.RUNNING, start + index),
                        List.of(new KeyValue(TrackingService.RUN_NAME_TAG, name), new KeyValue("mlflow.user", "bench"),
                                new KeyValue("group", "g" + index % GROUPS)));
                store.updateRunInfo(runId, index % 10 == 3 ? RunStatus.FAILED : RunStatus.FINISHED, Optional.of(start + index + 1),
                        Optional.empty());
                store.logBatch(runId, List.of(new Metric("acc", DirectPopulation.accuracy(index), start + index, 0)),
                        List.of(new KeyValue("lr", learningRate(index))), List.of());
            });
        }
    }

    static String learningRate(int index) {
        return List.of("0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10", "30").get(index % LEARNING_RATES);
    }

    private static String search(BenchOptions options, ServerProcess server, MlflowHttp http, String experimentId, String filter,
                                 String orderBy, String what) {
        JsonNode page = http.searchRuns(experimentId, filter, orderBy, 100);
        int answered = page.path("runs").size();
        if (answered != 100) {
            throw new IllegalStateException("runs/search '" + filter + "' answered " + answered + " runs, expected 100");
        }
        int warmUp = Math.max(20, options.samples());
        Load.run(1, warmUp, (client, index) -> http.searchRunsBytes(experimentId, filter, orderBy, 100));
        log("search: " + options.samples() + " searches, filter '" + filter + "', order '" + orderBy + "'");
        CpuUse cpu = CpuUse.start(server);
        Load.Result result = Load.run(1, options.samples(), (client, index) -> http.searchRunsBytes(experimentId, filter, orderBy, 100));
        return String.format(Locale.ROOT, "| runs/search, 100 runs: %s | %.3f ms | `%s`%s; %d sequential calls after %d warm-up; "
                        + "p50 %.1f ms; %s |", what, cpu.serverMillisPerCall(options.samples()), filter.isEmpty() ? "(no filter)" : filter,
                orderBy.isEmpty() ? "" : " order by `" + orderBy + "`", options.samples(), warmUp, result.percentileMillis(50),
                cpu.perCall(options.samples(), "call"));
    }

    private static String loadAverage() {
        try {
            String[] fields = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
