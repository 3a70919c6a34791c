package dev.atelier.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Load benchmark of MLflow tracking over HTTP against a real Atelier server in a child JVM: cold
 * start, run creation, log-batch ingest, memory, metric history and run search. Prints a markdown
 * table with each figure beside its target and MLflow 2.22's. Not a test: run it with
 * {@code bench/run.sh}.
 */
public final class TrackingBenchmark {
    private TrackingBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("error: " + e.getMessage());
            }
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        try (Databases databases = Databases.of(options)) {
            List<Scenario> results = new ArrayList<>();
            log("database: " + databases.describe() + "; work folder " + options.workDir());
            results.add(TrackingScenarios.coldStart(options, databases));
            try (ServerProcess server = ServerProcess.start(options.workDir().resolve("server"), databases.nextUrl(),
                    options.serverJvmOptions())) {
                TrackingScenarios scenarios = new TrackingScenarios(options, server);
                results.addAll(scenarios.runAll());
            }
            print(databases.describe(), options, results);
        }
    }

    private static void print(String database, BenchOptions options, List<Scenario> results) {
        System.out.println();
        System.out.printf(Locale.ROOT, "Atelier tracking benchmark on %s, %d cores, %d clients, %s%n%n", database,
                Runtime.getRuntime().availableProcessors(), options.clients(), java.time.LocalDate.now());
        System.out.println("| scenario | target | measured | verdict | MLflow 2.22 + SQLite | notes |");
        System.out.println("|---|---|---|---|---|---|");
        results.forEach(result -> System.out.println(result.markdownRow()));
    }

    static void log(String message) {
        System.err.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + message);
    }

    static Path dataDir(BenchOptions options, String name) {
        return options.workDir().resolve(name);
    }
}
