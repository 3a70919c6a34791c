package dev.atelier.workers.automl;

import dev.atelier.workers.rest.ServerClient;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The AutoML job's program: {@code java dev.atelier.workers.automl.AutoMlMain --spec spec.json [--outputs outputs]}
 * (WORKERS.md, docs/automl.md). Trials are logged as child runs of MLFLOW_RUN_ID through the server at
 * MLFLOW_TRACKING_URI (with MLFLOW_TRACKING_TOKEN when set); without those variables runs are recorded under
 * {@code <outputs>/runs/} instead. Writes {@code <outputs>/automl_result.json}. Exit code 0 when a model was found,
 * 1 when no trial completed, 2 for bad arguments or data.
 */
public final class AutoMlMain {
    private AutoMlMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs with explicit environment and streams (tests); returns the exit code. */
    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        Path specFile = null;
        Path outputs = Path.of("outputs");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--spec" -> specFile = i + 1 < args.length ? Path.of(args[++i]) : null;
                case "--outputs" -> outputs = i + 1 < args.length ? Path.of(args[++i]) : outputs;
                default -> {
                    err.println("unknown argument '" + args[i] + "'; usage: AutoMlMain --spec <spec.json> [--outputs <folder>]");
                    return 2;
                }
            }
        }
        if (specFile == null) {
            err.println("usage: AutoMlMain --spec <spec.json> [--outputs <folder>]");
            return 2;
        }
        try {
            AutoMlSpec spec = AutoMlSpec.read(specFile);
            Files.createDirectories(outputs);
            Tracker tracker = tracker(environment, outputs);
            Path work = Files.createTempDirectory("automl-");
            AutoMlResult result = new AutoMlEngine(spec, tracker, work, out::println).run();
            result.write(outputs.resolve("automl_result.json"));
            if (result.bestRunId() == null && result.bestScore() == null) {
                err.println("no trial completed; see the trials' runs for their errors");
                return 1;
            }
            out.println("best run " + result.bestRunId() + ": " + result.bestAlgorithm() + " " + result.primaryMetric() + "=" + result.bestScore());
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("automl: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("automl failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    private static Tracker tracker(Map<String, String> environment, Path outputs) {
        String runId = environment.get("MLFLOW_RUN_ID");
        String experimentId = environment.get("MLFLOW_EXPERIMENT_ID");
        if (environment.get("MLFLOW_TRACKING_URI") == null || runId == null || experimentId == null) {
            return new FolderTracker(outputs.resolve("runs"));
        }
        return new RestTracker(ServerClient.fromEnvironment(environment), experimentId, runId);
    }
}
