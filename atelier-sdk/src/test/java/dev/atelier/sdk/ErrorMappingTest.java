package dev.atelier.sdk;

import com.sun.net.httpserver.HttpServer;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How answers the real server never gives (yet) become exceptions; a hand-written fake answers. */
class ErrorMappingTest {
    private HttpServer fake;

    @AfterEach
    void stopFake() {
        if (fake != null) {
            fake.stop(0);
        }
    }

    private String fakeAnswering(int status, String contentType, String body) throws IOException {
        fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        fake.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        fake.start();
        return "http://127.0.0.1:" + fake.getAddress().getPort();
    }

    @Test
    void knownErrorCodeKeepsCodeAndMessage() throws IOException {
        String url = fakeAnswering(403, "application/json", "{\"error_code\":\"PERMISSION_DENIED\",\"message\":\"not yours\"}");
        try (AtelierClient client = AtelierClient.connect(url)) {
            assertThatThrownBy(() -> client.workspaces().get("x"))
                    .isInstanceOfSatisfying(AtelierException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                        assertThat(e.getMessage()).isEqualTo("not yours");
                    });
        }
    }

    @Test
    void unknownErrorCodeBecomesInternalErrorKeepingTheMessage() throws IOException {
        String url = fakeAnswering(400, "application/json", "{\"error_code\":\"SOMETHING_NEW\",\"message\":\"a newer server says no\"}");
        try (AtelierClient client = AtelierClient.connect(url)) {
            assertThatThrownBy(() -> client.workspaces().list())
                    .isInstanceOfSatisfying(AtelierException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.INTERNAL_ERROR);
                        assertThat(e.getMessage()).isEqualTo("a newer server says no");
                    });
        }
    }

    @Test
    void nonJsonErrorPageGetsCodeFromStatusAndShowsTheBody() throws IOException {
        String url = fakeAnswering(502, "text/html", "<html>Bad Gateway</html>");
        try (AtelierClient client = AtelierClient.connect(url)) {
            assertThatThrownBy(() -> client.workspaces().list())
                    .isInstanceOfSatisfying(AtelierException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.INTERNAL_ERROR);
                        assertThat(e.getMessage()).contains("HTTP 502", "GET /api/v1/workspaces", "Bad Gateway");
                    });
        }
    }

    @Test
    void bareInsufficientStorageAndGoneKeepTheirMeaning() throws IOException {
        String url = fakeAnswering(507, "text/plain", "disk full");
        try (AtelierClient client = AtelierClient.connect(url)) {
            assertThatThrownBy(() -> client.workspaces().list())
                    .isInstanceOfSatisfying(AtelierException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.INSUFFICIENT_STORAGE);
                        assertThat(e.getMessage()).contains("HTTP 507", "disk full");
                    });
        }
        fake.stop(0);
        url = fakeAnswering(410, "text/plain", "");
        try (AtelierClient client = AtelierClient.connect(url)) {
            assertThatThrownBy(() -> client.workspaces().list())
                    .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_EXPIRED));
        }
    }

    @Test
    void plainNotFoundIsEndpointNotFound() throws IOException {
        String url = fakeAnswering(404, "text/plain", "");
        try (AtelierClient client = AtelierClient.connect(url)) {
            assertThatThrownBy(() -> client.workspaces().get("x"))
                    .isInstanceOfSatisfying(AtelierException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ENDPOINT_NOT_FOUND));
        }
    }

    @Test
    void refusedConnectionSaysTheServerIsNotReachable() throws IOException {
        String url = "http://127.0.0.1:" + freePort();
        try (AtelierClient client = AtelierClient.connect(url)) {
            assertThatThrownBy(() -> client.workspaces().list())
                    .isInstanceOfSatisfying(ServerUnreachableException.class, e -> {
                        assertThat(e.url()).isEqualTo(url);
                        assertThat(e.getMessage()).isEqualTo("The Atelier server at " + url + " is not reachable: connection refused");
                    });
        }
    }

    @Test
    void malformedBaseUrlIsRefusedUpFront() {
        assertThatThrownBy(() -> AtelierClient.connect("localhost:5000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("localhost:5000");
    }

    /** A port nothing listens on: bound once, then released. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
