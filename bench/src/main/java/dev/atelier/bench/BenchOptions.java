package dev.atelier.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Command-line options of {@link TrackingBenchmark}.
 *
 * @param databaseUrl       a {@code jdbc:postgresql://} URL for the server; empty means SQLite (or embedded PostgreSQL)
 * @param embeddedPostgres  start a PostgreSQL from the bench itself and use it
 * @param clients           concurrent HTTP clients of the throughput scenarios
 * @param runs              runs created by the run-creation scenario
 * @param batches           log-batch calls of 1,000 metrics each in the ingest scenario
 * @param historyPoints     points of the metric read by the history scenario
 * @param searchRuns        runs in the experiment the search scenario searches
 * @param samples           timed requests of each latency scenario
 * @param coldStarts        server starts of the cold-start scenario (median reported)
 * @param workDir           folder for data directories and server logs
 * @param serverJvmOptions  extra options of the server's JVM (none by default, as the launcher)
 * @param populateOverHttp  fill the searched experiment with HTTP calls instead of store calls
 */
record BenchOptions(Optional<String> databaseUrl, boolean embeddedPostgres, int clients, int runs, int batches,
                    int historyPoints, int searchRuns, int samples, int coldStarts, Path workDir, List<String> serverJvmOptions,
                    boolean populateOverHttp) {

    static final String USAGE = """
            usage: TrackingBenchmark [options]
              --database-url URL     measure on this PostgreSQL (jdbc:postgresql://...); default SQLite
              --postgres             start an embedded PostgreSQL 18 and measure on it
              --clients N            concurrent clients for run creation and ingest (default 8)
              --runs N               runs created by the run-creation scenario (default 20000)
              --batches N            log-batch calls of 1000 metrics (default 3000)
              --history-points N     points of the metric read back (default 10000)
              --search-runs N        runs in the searched experiment (default 100000)
              --samples N            timed requests per latency scenario (default 100)
              --cold-starts N        server starts for the cold-start median (default 3)
              --work-dir DIR         data directories and server logs (default a new temporary folder)
              --server-jvm-option X  extra option of the server JVM, repeatable
              --populate-over-http   fill the searched experiment over HTTP (slow) instead of through
                                     the store code in the bench JVM
              --quick                small sizes, to check that the benchmark runs
            """;

    BenchOptions {
        requireNonNull(databaseUrl, "databaseUrl is null");
        requireNonNull(workDir, "workDir is null");
        serverJvmOptions = List.copyOf(serverJvmOptions);
    }

    static BenchOptions parse(String[] args) throws java.io.IOException {
        Optional<String> databaseUrl = Optional.empty();
        boolean postgres = false;
        int clients = 8;
        int runs = 20_000;
        int batches = 3_000;
        int historyPoints = 10_000;
        int searchRuns = 100_000;
        int samples = 100;
        int coldStarts = 3;
        Path workDir = null;
        List<String> jvmOptions = new ArrayList<>();
        boolean populateOverHttp = false;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--database-url" -> databaseUrl = Optional.of(required(args[i], value));
                case "--postgres" -> postgres = true;
                case "--populate-over-http" -> populateOverHttp = true;
                case "--clients" -> clients = positive(args[i], value);
                case "--runs" -> runs = positive(args[i], value);
                case "--batches" -> batches = positive(args[i], value);
                case "--history-points" -> historyPoints = positive(args[i], value);
                case "--search-runs" -> searchRuns = positive(args[i], value);
                case "--samples" -> samples = positive(args[i], value);
                case "--cold-starts" -> coldStarts = positive(args[i], value);
                case "--work-dir" -> workDir = Path.of(required(args[i], value));
                case "--server-jvm-option" -> jvmOptions.add(required(args[i], value));
                case "--quick" -> {
                    runs = 2_000;
                    batches = 300;
                    searchRuns = 5_000;
                    samples = 20;
                    coldStarts = 1;
                }
                case "--help", "-h" -> throw new IllegalArgumentException("");
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            if (!List.of("--postgres", "--quick", "--populate-over-http").contains(args[i])) {
                i++;
            }
        }
        if (postgres && databaseUrl.isPresent()) {
            throw new IllegalArgumentException("--postgres and --database-url exclude each other");
        }
        if (databaseUrl.isPresent() && !databaseUrl.get().startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--database-url must be a jdbc:postgresql:// URL");
        }
        if (workDir == null) {
            workDir = java.nio.file.Files.createTempDirectory("atelier-bench");
        }
        return new BenchOptions(databaseUrl, postgres, clients, runs, batches, historyPoints, searchRuns, samples, coldStarts,
                workDir, jvmOptions, populateOverHttp);
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static int positive(String option, String value) {
        try {
            int number = Integer.parseInt(required(option, value).replace("_", ""));
            if (number <= 0) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a positive integer, got " + value);
        }
    }
}
