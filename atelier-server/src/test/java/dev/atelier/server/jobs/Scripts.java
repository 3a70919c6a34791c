package dev.atelier.server.jobs;

/** Small training programs the tests run as real child processes. */
final class Scripts {
    private Scripts() {
    }

    /**
     * {@code java Train.java <lines> <outputFolder> [metric value...]}: logs a parameter and one
     * {@code accuracy} value per argument after the first two (one step each, sleeping
     * {@code SLEEP_MS} between them) through MLflow's REST API, prints numbered lines on stdout
     * and a line on stderr, and writes {@code model.txt} into the output folder.
     */
    static final String TRAIN_JAVA = """
            import java.net.URI;
            import java.net.http.*;
            import java.nio.file.*;

            public class Train {
                static final HttpClient HTTP = HttpClient.newHttpClient();

                static void post(String path, String json) throws Exception {
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(System.getenv("MLFLOW_TRACKING_URI") + path))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
                    String token = System.getenv("MLFLOW_TRACKING_TOKEN");
                    if (token != null) {
                        request.header("Authorization", "Bearer " + token);
                    }
                    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
                    }
                }

                public static void main(String[] args) throws Exception {
                    String run = System.getenv("MLFLOW_RUN_ID");
                    post("/api/2.0/mlflow/runs/log-parameter", "{\\"run_id\\":\\"" + run + "\\",\\"key\\":\\"lines\\",\\"value\\":\\"" + args[0] + "\\"}");
                    long sleep = Long.parseLong(System.getenv().getOrDefault("SLEEP_MS", "0"));
                    for (int i = 2; i < args.length; i++) {
                        post("/api/2.0/mlflow/runs/log-metric", "{\\"run_id\\":\\"" + run + "\\",\\"key\\":\\"accuracy\\",\\"value\\":" + args[i]
                                + ",\\"timestamp\\":" + System.currentTimeMillis() + ",\\"step\\":" + (i - 2) + "}");
                        Thread.sleep(sleep);
                    }
                    for (int i = 1; i <= Integer.parseInt(args[0]); i++) {
                        System.out.println("line " + i);
                    }
                    System.err.println("warning: done on stderr");
                    Files.createDirectories(Path.of(args[1]));
                    Files.writeString(Path.of(args[1], "model.txt"), "weights");
                    Files.writeString(Path.of("outputs", "summary.txt"), "ok");
                }
            }
            """;

    /** Logs {@code loss} through MLflow's REST API with the standard library only, and writes an output. */
    static final String TRAIN_PY = """
            import json, os, sys, time, urllib.request

            def post(path, body):
                request = urllib.request.Request(os.environ["MLFLOW_TRACKING_URI"] + path, data=json.dumps(body).encode(),
                                                 headers={"Content-Type": "application/json"})
                token = os.environ.get("MLFLOW_TRACKING_TOKEN")
                if token:
                    request.add_header("Authorization", "Bearer " + token)
                urllib.request.urlopen(request).read()

            run = os.environ["MLFLOW_RUN_ID"]
            for step in range(3):
                post("/api/2.0/mlflow/runs/log-metric", {"run_id": run, "key": "loss", "value": 1.0 / (step + 1),
                                                         "timestamp": int(time.time() * 1000), "step": step})
            print("trained with lr", sys.argv[1], flush=True)
            with open(os.path.join("outputs", "py.txt"), "w") as f:
                f.write("python")
            """;
}
