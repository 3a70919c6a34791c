package dev.atelier.cli;

import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The training run of the server's ahead-of-time cache (JDK 25), run once per build by {@code ./atelier server} before
 * its first start: a server on a throwaway data directory and a random loopback port starts (database, migrations,
 * routes, templates), answers a few everyday requests (health, the portal's home and experiments page, an MLflow
 * experiment, run, metric and search), then stops, so that what a start loads and links is in the cache. Nothing
 * outside this process and its temporary folder is touched; a request that fails only loads less. Run alone.
 */
final class ServerTraining {
    private ServerTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dataDir = Files.createTempDirectory("atelier-training-");
        try (AtelierServer server = AtelierServer.start(ServerConfig.forTests(dataDir))) {
            String url = server.url();
            call(url, "GET", "/health", null);
            call(url, "GET", "/", null);
            call(url, "GET", "/experiments", null);
            call(url, "POST", "/api/2.0/mlflow/experiments/create", "{\"name\":\"training\"}");
            call(url, "POST", "/api/2.0/mlflow/runs/create", "{\"experiment_id\":\"0\",\"run_name\":\"training\",\"tags\":[{\"key\":\"k\",\"value\":\"v\"}]}");
            call(url, "POST", "/api/2.0/mlflow/runs/search", "{\"experiment_ids\":[\"0\"],\"filter\":\"tags.k = 'v'\",\"max_results\":100}");
            call(url, "GET", "/api/2.0/mlflow/experiments/search?max_results=10", null);
        } finally {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        System.exit(0); // the cache is written as the JVM exits; no background thread may hold it open
    }

    private static void call(String url, String method, String path, String json) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url + path).toURL().openConnection();
            connection.setRequestMethod(method);
            if (json != null) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(json.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = connection.getResponseCode();
            try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                if (in != null) {
                    in.readAllBytes();
                }
            }
        } catch (IOException e) {
            // A request that fails still loaded what it reached; the cache is written either way.
        }
    }
}
