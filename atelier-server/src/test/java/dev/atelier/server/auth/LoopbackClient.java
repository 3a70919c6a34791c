package dev.atelier.server.auth;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Sends one HTTP/1.1 request from a chosen loopback address (127.0.0.2, 127.0.0.3, ...), so that a
 * test can be two different clients without a proxy. Linux routes all of 127.0.0.0/8 to loopback.
 */
final class LoopbackClient {
    private LoopbackClient() {
    }

    /** The status code of {@code method path} with a JSON body, sent from {@code sourceAddress}. */
    static int status(String baseUrl, String sourceAddress, String method, String path, String jsonBody, String authorization) {
        URI uri = URI.create(baseUrl);
        try (Socket socket = new Socket(InetAddress.getByName(uri.getHost()), uri.getPort(), InetAddress.getByName(sourceAddress), 0)) {
            byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder()
                    .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n")
                    .append("Accept: */*\r\nConnection: close\r\n")
                    .append("Content-Type: application/json\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\n");
            if (authorization != null) {
                head.append("Authorization: ").append(authorization).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // "HTTP/1.1 200 OK"
            return Integer.parseInt(answer.substring(9, 12));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
