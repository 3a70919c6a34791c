package dev.atelier.server.http;

import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request whose body arrives after its headers, sent to a route that does not read the body,
 * leaves the connection open for the next request: clients that reuse connections (Java's
 * HttpClient, Python's requests) would otherwise find it closed under their next request.
 */
class UnreadBodyKeepAliveTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void aLateBodyTheHandlerIgnoresIsReadSoTheConnectionStaysUsable() throws Exception {
        URI uri = URI.create(server.url());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            for (int i = 0; i < 3; i++) {
                out.write(("POST /api/v1/data-uploads HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 2\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                Thread.sleep(200);
                out.write("{}".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                assertThat(in.readLine()).as("status line of request " + (i + 1)).startsWith("HTTP/1.1 201");
                int length = -1;
                for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
                    assertThat(line.toLowerCase()).doesNotStartWith("connection: close");
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                assertThat(length).isPositive();
                assertThat(in.skip(length)).isEqualTo(length);
            }
        }
    }
}
