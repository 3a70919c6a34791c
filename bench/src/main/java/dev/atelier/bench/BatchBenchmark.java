package dev.atelier.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.mlmodel.MlModel;
import dev.atelier.api.mlmodel.MlModelYaml;
import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.RunInfo;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Batch scoring end to end through a real server process (issue 15): {@code --rows} rows (default 1,000,000) of 10
 * numeric features in {@code --files} CSV files (default 20), uploaded as a data asset, scored by a no-code ONNX batch
 * deployment (Tribuo's logistic regression exported to ONNX), the output assembled and registered. Measures invoke →
 * job Completed (reading the CSV, scoring, writing and registering the output) as rows/s, and the server's peak RSS.
 * Prints a markdown table.
 */
public final class BatchBenchmark {
    private static final int FEATURES = 10;

    private BatchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = BenchSupport.intArg(args, "--rows", 1_000_000);
        int files = BenchSupport.intArg(args, "--files", 20);
        int miniBatch = BenchSupport.intArg(args, "--mini-batch-size", 25_000);
        int concurrency = BenchSupport.intArg(args, "--concurrency", 2);
        List<String> serverOptions = new java.util.ArrayList<>(List.of("-Xmx1g"));
        String outputAction = "append_row";
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--output-action")) {
                outputAction = args[i + 1];
            }
            if (args[i].equals("--jfr")) {
                // JFR is off while the JVM writes its class-data archive: write none
                serverOptions.addAll(List.of("-XX:-AutoCreateSharedArchive", "-XX:StartFlightRecording=settings=profile,filename="
                        + Path.of(args[i + 1]).toAbsolutePath()));
            }
        }
        Path dir = Files.createTempDirectory("atelier-batch-bench");
        Path model = writeOnnxModel(Files.createDirectories(dir.resolve("model")));
        Path input = writeCsv(Files.createDirectories(dir.resolve("input")), rows, files);
        long inputBytes;
        try (var walk = Files.walk(input)) {
            inputBytes = walk.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
        StringBuilder table = new StringBuilder("| scenario | rows | files | mini-batch | concurrency | invoke → Completed | rows/s | "
                + "server peak RSS |\n|---|---|---|---|---|---|---|---|\n");
        try (ServerProcess server = ServerProcess.start(dir.resolve("server"), Optional.empty(), serverOptions);
             AtelierClient client = AtelierClient.connect(server.url())) {
            String experiment = client.experiments().create("batch-bench");
            RunInfo run = client.runs().create(experiment, "model");
            client.artifacts().uploadDirectory(run.artifactUri(), "model", model);
            client.models().register("bench-batch-onnx", "runs:/" + run.runId() + "/model", Optional.of(run.runId()), Optional.empty(), Map.of());
            String upload = client.data().startUpload(input);
            client.data().upload(upload, input, (done, total) -> { });
            client.data().create("bench-rows", "uri_folder", upload, true, Optional.empty(), Map.of());
            JsonNode endpoint = client.batchEndpoints().create(json().put("name", "bench"));
            ObjectNode deployment = json().put("name", "onnx").put("model", "azureml:bench-batch-onnx:1");
            deployment.putObject("settings").put("mini_batch_size", miniBatch).put("max_concurrency_per_instance", concurrency)
                    .put("output_action", outputAction);
            client.batchEndpoints().createDeployment(endpoint.path("name").asText("bench"), deployment, true);
            long rssBefore = server.residentMegabytes();
            java.time.Duration cpuBefore = server.cpuTime();
            long started = System.nanoTime();
            JsonNode job = client.batchEndpoints().invoke("bench", "bench-rows:1", Optional.empty(), Optional.empty(), Optional.empty(),
                    (done, total) -> { });
            String name = job.path("name").asText();
            JsonNode ended;
            while (true) {
                ended = client.batchEndpoints().listJobs("bench").stream().filter(each -> each.path("name").asText().equals(name))
                        .findFirst().orElseThrow();
                if (List.of("Completed", "Failed", "Canceled").contains(ended.path("status").asText())) {
                    break;
                }
                BenchSupport.sleep(20);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpuSeconds = server.cpuTime().minus(cpuBefore).toMillis() / 1e3;
            if (!ended.path("status").asText().equals("Completed")) {
                throw new IllegalStateException("the job ended " + ended);
            }
            long scored = ended.path("result").path("rows").path("scored").asLong();
            table.append(String.format(Locale.ROOT, "| CSV → ONNX (%d features) → %s | %,d | %d (%,d MB) | %,d | %d "
                            + "| %.2f s | %,.0f | %d MB (%d MB before invoke) |%n", FEATURES,
                    outputAction.equals("append_row") ? "predictions.csv registered" : outputAction + " (no output file)", scored, files, inputBytes >> 20, miniBatch, concurrency,
                    seconds, scored / seconds, server.peakResidentMegabytes(), rssBefore));
            double serverSeconds = (ended.path("ended_at").asLong() - ended.path("started_at").asLong()) / 1e3;
            table.append(String.format(Locale.ROOT, "%nserver side (started → ended, without the queue and the client's polling): %.2f s, "
                    + "%,.0f rows/s; server CPU time from invoke to Completed: %.2f s (%.2f cores busy); system load average at the "
                    + "end: %s%n", serverSeconds, scored / serverSeconds, cpuSeconds, cpuSeconds / seconds, loadAverage()));
        }
        System.out.print(table);
    }

    private static ObjectNode json() {
        return new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** {@code files} CSV files of columns f0..f9, {@code rows} rows in all, of values from a fixed seed. */
    private static Path writeCsv(Path folder, int rows, int files) throws IOException {
        SplittableRandom random = new SplittableRandom(15);
        int perFile = (rows + files - 1) / files;
        StringBuilder header = new StringBuilder();
        for (int j = 0; j < FEATURES; j++) {
            header.append(j == 0 ? "" : ",").append('f').append(j);
        }
        for (int file = 0, written = 0; file < files; file++) {
            try (BufferedWriter out = Files.newBufferedWriter(folder.resolve("part-%02d.csv".formatted(file)), StandardCharsets.UTF_8)) {
                out.write(header + "\n");
                for (int row = 0; row < perFile && written < rows; row++, written++) {
                    for (int j = 0; j < FEATURES; j++) {
                        if (j > 0) {
                            out.write(',');
                        }
                        out.write(String.format(Locale.ROOT, "%.4f", random.nextDouble(-3, 3)));
                    }
                    out.write('\n');
                }
            }
        }
        return folder;
    }

    /** Tribuo's logistic regression on 500 random points of 10 features (label yes when their sum is positive), as ONNX. */
    private static Path writeOnnxModel(Path folder) throws IOException {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance("random", factory), factory);
        SplittableRandom random = new SplittableRandom(7);
        String[] names = new String[FEATURES];
        for (int j = 0; j < FEATURES; j++) {
            names[j] = "f" + j;
        }
        for (int i = 0; i < 500; i++) {
            double[] point = new double[FEATURES];
            double sum = 0;
            for (int j = 0; j < FEATURES; j++) {
                point[j] = random.nextDouble(-3, 3);
                sum += point[j];
            }
            dataset.add(new ArrayExample<>(new Label(sum > 0 ? "yes" : "no"), names, point));
        }
        LinearSGDModel model = new LogisticRegressionTrainer().train(dataset);
        model.saveONNXModel("dev.atelier.bench", 1, folder.resolve("model.onnx"));
        MlModelYaml.write(new MlModel(Optional.of("model"), Map.of("onnx", Map.of("data", "model.onnx")), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of()), folder);
        return folder;
    }
}
