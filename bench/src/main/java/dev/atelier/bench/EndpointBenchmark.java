package dev.atelier.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.api.mlmodel.MlModel;
import dev.atelier.api.mlmodel.MlModelYaml;
import dev.atelier.api.mlmodel.TensorSpec;
import dev.atelier.server.models.ModelRuntime;
import dev.atelier.server.models.ModelRuntimes;
import dev.atelier.server.models.Tensor;
import dev.atelier.server.models.TensorType;
import dev.atelier.server.models.Tensors;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.impl.ArrayExample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Scoring latency and throughput of a no-code ONNX deployment (Tribuo's logistic regression
 * exported to ONNX, one row of two features) through a real server process, against the same model
 * called in-process with ONNX Runtime in this JVM on the same input. Prints a markdown table.
 *
 * <p>Arguments: {@code [--quick] [--requests N] [--work-dir DIR]}. The server runs with the
 * launcher's JVM options; the clients are keep-alive {@code HttpURLConnection}s in this JVM, on the
 * same two cores.
 */
public final class EndpointBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INVOCATIONS_BODY = "{\"inputs\": [[0.45, 0.6]]}";

    private EndpointBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int requests = 40_000;
        Path work = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> requests = 4_000;
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--work-dir" -> work = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: EndpointBenchmark [--quick] [--requests N] [--work-dir DIR]");
                    System.exit(2);
                }
            }
        }
        Path dir = work == null ? Files.createTempDirectory("atelier-endpoint-bench") : Files.createDirectories(work);
        Path model = writeOnnxModel(Files.createDirectories(dir.resolve("model")));
        StringBuilder table = new StringBuilder("| path | clients | requests | p50 | p99 | requests/s | CPU per request |\n"
                + "|---|---|---|---|---|---|---|\n");
        try (ModelRuntime runtime = ModelRuntimes.standard().load(model)) {
            String input = ((TensorSpec) runtime.signature().inputs().orElseThrow().specs().getFirst()).name().orElseThrow();
            Tensors row = new Tensors(List.of(new Tensor(input, TensorType.FP32, List.of(1L, 2L), List.of(0.45f, 0.6f))));
            Load.run(1, 20_000, (client, index) -> runtime.predict(row));
            for (int clients : new int[] {1, 16}) {
                long cpuBefore = cpu();
                Load.Result result = Load.run(clients, requests, (client, index) -> runtime.predict(row));
                table.append(row("in-process `ModelRuntime.predict` (ONNX Runtime)", clients, result,
                        String.format(Locale.ROOT, "%.3f ms", (cpu() - cpuBefore) / 1e6 / requests)));
            }
        }
        try (ServerProcess server = ServerProcess.start(dir.resolve("server"), Optional.empty(), List.of())) {
            String base = server.url();
            String key = deploy(base, model);
            String score = base + "/endpoints/bench/invocations";
            String infer = base + "/endpoints/bench/v2/models/bench-onnx/infer";
            String inferBody = "{\"inputs\": [{\"name\": \"" + inputName(model) + "\", \"shape\": [1, 2], \"datatype\": \"FP32\", "
                    + "\"data\": [0.45, 0.6]}]}";
            Load.run(16, 20_000, (client, index) -> post(score, key, INVOCATIONS_BODY));
            String version = base + "/endpoints/bench/version";
            Load.Result floor = Load.run(1, requests, (client, index) -> send("GET", version, null, null, null));
            table.append(row("HTTP floor: `GET <base>/version` (no model, no body)", 1, floor, "—"));
            for (int clients : new int[] {1, 16}) {
                CpuUse cpu = CpuUse.start(server);
                Load.Result result = Load.run(clients, requests, (client, index) -> post(score, key, INVOCATIONS_BODY));
                table.append(row("endpoint `/invocations` (`{\"inputs\": [[x0, x1]]}`)", clients, result, cpu.perCall(requests, "request")));
                System.err.println("invocations, " + clients + " clients done");
            }
            CpuUse cpu = CpuUse.start(server);
            Load.Result result = Load.run(16, requests, (client, index) -> post(infer, key, inferBody));
            table.append(row("endpoint `/v2/models/bench-onnx/infer` (FP32 [1, 2])", 16, result, cpu.perCall(requests, "request")));
            table.append(String.format(Locale.ROOT, "%nserver RSS after the runs: %d MB (peak %d MB)%n", server.residentMegabytes(),
                    server.peakResidentMegabytes()));
        }
        System.out.print(table);
    }

    private static String row(String path, int clients, Load.Result result, String cpu) {
        return String.format(Locale.ROOT, "| %s | %d | %,d | %.3f ms | %.3f ms | %,.0f | %s |%n", path, clients, result.operations(),
                result.percentileMillis(50), result.percentileMillis(99), result.perSecond(), cpu);
    }

    private static long cpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }

    /** Tribuo's logistic regression on a 6x6 grid (label yes when x0 + x1 > 1), exported to ONNX in the MLmodel layout. */
    static Path writeOnnxModel(Path folder) throws IOException {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance("grid", factory), factory);
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                double[] point = {i / 5.0, j / 5.0};
                dataset.add(new ArrayExample<>(new Label(point[0] + point[1] > 1 ? "yes" : "no"), new String[] {"x0", "x1"}, point));
            }
        }
        LinearSGDModel model = new LogisticRegressionTrainer().train(dataset);
        model.saveONNXModel("dev.atelier.bench", 1, folder.resolve("model.onnx"));
        MlModelYaml.write(new MlModel(Optional.of("model"), Map.of("onnx", Map.of("data", "model.onnx")), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of()), folder);
        return folder;
    }

    static String inputName(Path model) {
        try (ModelRuntime runtime = ModelRuntimes.standard().load(model)) {
            return ((TensorSpec) runtime.signature().inputs().orElseThrow().specs().getFirst()).name().orElseThrow();
        }
    }

    /** Logs the model to a run, registers it, deploys it behind endpoint {@code bench}; returns the primary key. */
    static String deploy(String base, Path model) throws Exception {
        String api = base + "/api/2.0/mlflow/";
        String experiment = JSON.readTree(send("POST", api + "experiments/create", "{\"name\": \"endpoint-bench\"}", null, null))
                .path("experiment_id").asText();
        JsonNode run = JSON.readTree(send("POST", api + "runs/create", "{\"experiment_id\": \"" + experiment + "\"}", null, null));
        String runId = run.at("/run/info/run_id").asText();
        String root = run.at("/run/info/artifact_uri").asText().substring("mlflow-artifacts:/".length()).replaceFirst("^/+", "");
        for (String file : List.of("MLmodel", "model.onnx")) {
            sendBytes("PUT", base + "/api/2.0/mlflow-artifacts/artifacts/" + root + "/model/" + file, Files.readAllBytes(model.resolve(file)));
        }
        send("POST", api + "registered-models/create", "{\"name\": \"bench-onnx\"}", null, null);
        send("POST", api + "model-versions/create", "{\"name\": \"bench-onnx\", \"source\": \"runs:/" + runId + "/model\"}", null, null);
        send("POST", base + "/api/v1/endpoints", "{\"name\": \"bench\"}", null, null);
        send("POST", base + "/api/v1/endpoints/bench/deployments", "{\"name\": \"main\", \"model\": \"models:/bench-onnx/1\", "
                + "\"request_settings\": {\"max_concurrent_requests_per_instance\": 64}}", null, null);
        for (int i = 0; i < 600; i++) {
            String state = JSON.readTree(send("GET", base + "/api/v1/endpoints/bench/deployments/main", null, null, null))
                    .path("provisioning_state").asText();
            if (state.equals("Succeeded")) {
                return JSON.readTree(send("GET", base + "/api/v1/endpoints/bench/keys", null, null, null)).path("primary_key").asText();
            }
            if (state.equals("Failed")) {
                throw new IllegalStateException("the bench deployment failed to start");
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the bench deployment did not start within a minute");
    }

    static void post(String url, String key, String body) {
        send("POST", url, body, key, null);
    }

    private static void sendBytes(String method, String url, byte[] bytes) {
        send(method, url, null, null, bytes);
    }

    /** Sends a request over a kept-alive connection and returns the body of a 200 answer. */
    static byte[] send(String method, String url, String body, String key, byte[] raw) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setRequestMethod(method);
            if (key != null) {
                connection.setRequestProperty("Authorization", "Bearer " + key);
            }
            byte[] bytes = raw != null ? raw : body == null ? null : body.getBytes(StandardCharsets.UTF_8);
            if (bytes != null) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                // Not in streaming mode: the connection then sends the headers and a small body in one
                // segment, as Python's http.client (requests, MLflow) does. Headers and body sent apart
                // wait on the peer's delayed acknowledgement (Nagle's algorithm), about 1 ms per request here.
                if (bytes.length > 65_536) {
                    connection.setFixedLengthStreamingMode(bytes.length);
                }
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = connection.getResponseCode();
            byte[] answer;
            try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                answer = in == null ? new byte[0] : in.readAllBytes();
            }
            if (status != 200 && status != 201) {
                throw new IllegalStateException(method + " " + url + ": HTTP " + status + " " + new String(answer, StandardCharsets.UTF_8));
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url + " failed", e);
        }
    }
}
