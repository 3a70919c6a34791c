package dev.atelier.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.http.Principal;
import dev.atelier.server.notebooks.NotebookService;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The notebooks benchmark (bench/README.md): the time from starting a compute instance on {@code local} to its first
 * proxied 200 ({@code /api/status} through {@code /w/default/notebooks/<name>/}), and the round trip of a kernel
 * message ({@code kernel_info_request} to its reply) over the proxied WebSocket against a direct connection to
 * Jupyter. Runs a server without auth in this JVM over a fresh data directory. Prints a markdown table.
 *
 * <p>Arguments: {@code [--starts N] [--messages N]}.
 */
public final class NotebooksBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private NotebooksBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int starts = BenchSupport.intArg(args, "--starts", 5);
        int messages = BenchSupport.intArg(args, "--messages", 500);
        System.out.println("| scenario | target | result |");
        System.out.println("|---|---|---|");
        try (AtelierServer server = AtelierServer.start(ServerConfig.forTests(Files.createTempDirectory("atelier-notebooks-bench")))) {
            String api = server.url() + "/api/v1/compute-instances";
            String proxy = server.url() + "/w/default/notebooks/bench-nb/";
            long[] startMillis = new long[starts];
            for (int i = 0; i < starts; i++) {
                long begin = System.nanoTime();
                if (i == 0) {
                    send("POST", api, "{\"type\":\"computeinstance\",\"name\":\"bench-nb\"}");
                } else {
                    send("POST", api + "/bench-nb/start", "{}");
                }
                while (send("GET", proxy + "api/status", null).statusCode() != 200) {
                    Thread.sleep(10);
                }
                startMillis[i] = (System.nanoTime() - begin) / 1_000_000;
                if (i < starts - 1) {
                    send("POST", api + "/bench-nb/stop", "{}");
                }
            }
            Arrays.sort(startMillis);
            System.out.printf("| start to first proxied 200 (local, %s, p50 of %d) | ≤ 5 s | %d ms (max %d ms) |%n",
                    server.localCompute().mode().wireName(), starts, startMillis[starts / 2], startMillis[starts - 1]);

            JsonNode kernel = JSON.readTree(send("POST", proxy + "api/kernels", "{\"name\":\"python3\"}").body());
            String channels = "api/kernels/" + kernel.path("id").asText() + "/channels";
            NotebookService.Target direct = server.notebooks().open("default", "bench-nb", Principal.LOCAL);
            double viaProxy = roundTrip(URI.create(proxy.replaceFirst("^http", "ws") + channels), null, messages);
            double directly = roundTrip(URI.create(direct.base().toString().replaceFirst("^http", "ws") + channels), direct.token(), messages);
            System.out.printf("| kernel message round trip, direct to Jupyter (p50 of %d) | — | %.3f ms |%n", messages, directly);
            System.out.printf("| kernel message round trip through the proxy (p50 of %d) | — | %.3f ms |%n", messages, viaProxy);
            System.out.printf("| what the proxy adds to a WebSocket round trip (difference of the p50s) | ≤ 1 ms | %.3f ms |%n", viaProxy - directly);
            send("DELETE", api + "/bench-nb", null);
        }
    }

    /** The p50 in milliseconds of {@code count} kernel_info round trips (after 50 not counted). */
    private static double roundTrip(URI uri, String jupyterToken, int count) throws Exception {
        LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        if (jupyterToken != null) {
            builder.header("Authorization", "token " + jupyterToken);
        }
        WebSocket socket = builder.buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    String message = text.toString();
                    text.setLength(0);
                    if (message.contains("\"kernel_info_reply\"")) {
                        replies.add(message);
                    }
                }
                webSocket.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        int warmUp = 50;
        double[] millis = new double[count];
        for (int i = 0; i < warmUp + count; i++) {
            ObjectNode request = JSON.createObjectNode();
            request.putObject("header").put("msg_id", UUID.randomUUID().toString()).put("username", "bench")
                    .put("session", "bench").put("msg_type", "kernel_info_request").put("version", "5.3");
            request.putObject("parent_header");
            request.putObject("metadata");
            request.putObject("content");
            request.put("channel", "shell");
            long begin = System.nanoTime();
            socket.sendText(JSON.writeValueAsString(request), true).join();
            if (replies.poll(30, TimeUnit.SECONDS) == null) {
                throw new IllegalStateException("no kernel_info_reply within 30 s from " + uri);
            }
            if (i >= warmUp) {
                millis[i - warmUp] = (System.nanoTime() - begin) / 1e6;
            }
        }
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        Arrays.sort(millis);
        return millis[count / 2];
    }

    private static HttpResponse<String> send(String method, String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
