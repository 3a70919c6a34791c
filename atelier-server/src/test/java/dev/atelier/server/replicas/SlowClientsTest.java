package dev.atelier.server.replicas;

import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow and stalled clients (slowloris) do not starve the others: hundreds of connections sending their headers one
 * byte at a time, and more that sent half a request line and nothing since, hold no request thread (Jetty reads
 * headers without blocking a thread, and handlers run on virtual threads), so every other client is answered.
 */
class SlowClientsTest {
    private static final int SLOW = 300;
    private static final int STALLED = 100;

    @Test
    void slowAndStalledClientsDoNotStarveTheOthers() throws Exception {
        try (TestServer server = TestServer.start()) {
            URI uri = URI.create(server.url());
            List<Socket> slow = new ArrayList<>();
            List<Socket> stalled = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            try {
                for (int i = 0; i < SLOW; i++) {
                    Socket socket = new Socket(uri.getHost(), uri.getPort());
                    socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ").getBytes(StandardCharsets.US_ASCII));
                    slow.add(socket);
                }
                for (int i = 0; i < STALLED; i++) {
                    Socket socket = new Socket(uri.getHost(), uri.getPort());
                    socket.getOutputStream().write("POST /api/2.0/mlf".getBytes(StandardCharsets.US_ASCII));
                    stalled.add(socket);
                }
                Thread drip = Thread.ofPlatform().daemon().start(() -> {
                    while (!stop.get()) {
                        for (Socket socket : slow) {
                            try {
                                OutputStream out = socket.getOutputStream();
                                out.write('a');
                                out.flush();
                            } catch (IOException e) {
                                // closed by the server: one slow client fewer
                            }
                        }
                        try {
                            Thread.sleep(200);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                List<Integer> answers = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    HttpRequest request = i % 2 == 0
                            ? HttpRequest.newBuilder(uri.resolve("/api/2.0/mlflow/experiments/search?max_results=5"))
                            .timeout(Duration.ofSeconds(20)).GET().build()
                            : HttpRequest.newBuilder(uri.resolve("/api/2.0/mlflow/experiments/create"))
                            .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"beside-slowloris-" + i + "\"}")).build();
                    answers.add(client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
                }
                stop.set(true);
                drip.join();
                assertThat(answers).containsOnly(200);
            } finally {
                stop.set(true);
                for (Socket socket : slow) {
                    socket.close();
                }
                for (Socket socket : stalled) {
                    socket.close();
                }
            }
        }
    }
}
