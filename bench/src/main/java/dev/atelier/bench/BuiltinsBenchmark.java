package dev.atelier.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The designer's built-in components on a large table (issue 18: each processes 1,000,000 rows × 10 columns in ≤ 10 s on
 * 2 cores). Each component runs as its pipeline step runs it: a new JVM {@code java dev.atelier.workers.builtins.Builtins
 * <component> ...} on this JVM's class path, timed from launch to exit (JVM start included; wall clock, and the CPU
 * seconds the child used, user + system, which say more on a busy machine: bash's {@code time}), on a table of
 * {@code --rows} rows (default 1,000,000) × 10 columns (x0..x8 numbers with 1 % missing, label yes/no) generated with a
 * seed. Prints a markdown table. Options: {@code --rows N}, {@code --work-dir DIR}, {@code --components a,b} (default:
 * every component that reads the large table).
 */
public final class BuiltinsBenchmark {
    private static final double TARGET_SECONDS = 10;

    private BuiltinsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long rows = 1_000_000;
        Path work = null;
        List<String> only = List.of();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Long.parseLong(args[++i]);
                case "--work-dir" -> work = Path.of(args[++i]);
                case "--components" -> only = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--rows N, --work-dir DIR, --components a,b)");
            }
        }
        work = work == null ? Files.createTempDirectory("builtins-bench") : Files.createDirectories(work);
        Path raw = work.resolve("raw.csv");
        long started = System.nanoTime();
        generate(raw, rows, 7);
        System.err.printf(Locale.ROOT, "generated %,d rows x 10 columns (%,d MB) in %.1f s%n", rows, Files.size(raw) >> 20,
                (System.nanoTime() - started) / 1e9);
        Path table = work.resolve("table");
        Path small = work.resolve("small");
        Path right = work.resolve("right");
        Path model = work.resolve("model");
        writeRight(right, 1000);
        List<String[]> runs = new ArrayList<>();
        runs.add(new String[] {"import_data", "--file", raw.toString(), "--output", table.toString()});
        runs.add(new String[] {"select_columns", "--input", table.toString(), "--columns", "x0,x1,x2,x3,label", "--output", out(work, "select")});
        runs.add(new String[] {"clean_missing_data", "--input", table.toString(), "--columns", "x1", "--mode", "replace_mean", "--output", out(work, "clean")});
        runs.add(new String[] {"split_data", "--input", table.toString(), "--mode", "random", "--fraction", "0.7", "--output1",
                out(work, "split1"), "--output2", out(work, "split2")});
        runs.add(new String[] {"split_data", "--input", table.toString(), "--mode", "stratified", "--stratify_column", "label",
                "--output1", out(work, "strat1"), "--output2", out(work, "strat2")});
        runs.add(new String[] {"normalize_data", "--input", table.toString(), "--method", "zscore", "--output", out(work, "normalize")});
        runs.add(new String[] {"edit_metadata", "--input", table.toString(), "--columns", "x0,x1", "--new_names", "a,b", "--type", "float",
                "--output", out(work, "edit")});
        runs.add(new String[] {"join_data", "--left", table.toString(), "--right", right.toString(), "--left_keys", "x8",
                "--right_keys", "key", "--mode", "left", "--output", out(work, "join")});
        runs.add(new String[] {"split_data", "--input", table.toString(), "--mode", "expression", "--expression", "x0 < 0.01",
                "--output1", small.toString(), "--output2", out(work, "rest")});
        runs.add(new String[] {"train_model", "--input", small.toString(), "--label", "label", "--algorithm", "xgboost",
                "--n_estimators", "50", "--output", model.toString()});
        runs.add(new String[] {"train_model", "--input", table.toString(), "--label", "label", "--algorithm", "xgboost",
                "--n_estimators", "20", "--output", out(work, "model-large")});
        runs.add(new String[] {"score_model", "--model", model.toString(), "--input", table.toString(), "--output", out(work, "scored")});
        runs.add(new String[] {"evaluate_model", "--input", out(work, "scored"), "--output", out(work, "evaluation")});
        System.out.printf(Locale.ROOT, "load average at start: %.1f on %d cores%n%n", java.lang.management.ManagementFactory
                .getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "| component | options | rows in | wall s | CPU s | target (wall) |%n|---|---|---|---|---|---|%n");
        for (String[] run : runs) {
            if (!only.isEmpty() && !only.contains(run[0])) {
                continue;
            }
            double[] seconds = time(run, work);
            boolean large = !List.of(run).contains(small.toString());
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f | %s |%n", run[0], options(run), large
                    ? String.format(Locale.ROOT, "%,d", rows) : "~1 %", seconds[0], seconds[1],
                    large ? (seconds[0] <= TARGET_SECONDS ? "≤ 10 s: met" : "≤ 10 s: NOT met") : "");
        }
    }

    private static String out(Path work, String name) {
        return work.resolve(name).toString();
    }

    private static String options(String[] run) {
        List<String> shown = new ArrayList<>();
        for (int i = 1; i + 1 < run.length; i += 2) {
            if (!run[i + 1].contains("/")) {
                shown.add(run[i] + " " + run[i + 1]);
            }
        }
        return String.join(" ", shown);
    }

    /**
     * Runs one component in a new JVM, as a step does, under bash's {@code time}; answers wall and CPU seconds. Its output
     * goes to this process's stderr.
     */
    private static double[] time(String[] run, Path work) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "-c", "TIMEFORMAT='cpu %U %S'; time \"$@\"", "time",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.atelier.workers.builtins.Builtins"));
        command.addAll(List.of(run));
        Path errors = work.resolve("stderr.txt");
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(errors.toFile()).start();
        process.getOutputStream().close();
        int exit = process.waitFor();
        double wall = (System.nanoTime() - started) / 1e9;
        double cpu = Double.NaN;
        for (String line : Files.readAllLines(errors)) {
            if (line.startsWith("cpu ")) {
                String[] parts = line.split(" ");
                cpu = Double.parseDouble(parts[1]) + Double.parseDouble(parts[2]);
            } else {
                System.err.println(line);
            }
        }
        if (exit != 0) {
            throw new IllegalStateException(run[0] + " exited with " + exit);
        }
        return new double[] {wall, cpu};
    }

    /** x0..x8 uniform in [0, 1) (x8 as an integer key 0..999), 1 % of x1 missing; label yes when x0 + x2 > 1. */
    private static void generate(Path file, long rows, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("x0,x1,x2,x3,x4,x5,x6,x7,x8,label\n");
            StringBuilder line = new StringBuilder(128);
            for (long row = 0; row < rows; row++) {
                line.setLength(0);
                double x0 = random.nextDouble();
                double x2 = random.nextDouble();
                for (int column = 0; column < 8; column++) {
                    double value = column == 0 ? x0 : column == 2 ? x2 : random.nextDouble();
                    if (!(column == 1 && random.nextInt(100) == 0)) {
                        line.append(Math.round(value * 1e6) / 1e6);
                    }
                    line.append(',');
                }
                line.append(random.nextInt(1000)).append(',').append(x0 + x2 > 1 ? "yes" : "no").append('\n');
                out.write(line.toString());
            }
        }
    }

    private static void writeRight(Path folder, int keys) throws IOException {
        Files.createDirectories(folder);
        StringBuilder text = new StringBuilder("key,region\n");
        for (int key = 0; key < keys; key++) {
            text.append(key).append(",r").append(key % 7).append('\n');
        }
        Files.writeString(folder.resolve("data.csv"), text.toString());
    }
}
