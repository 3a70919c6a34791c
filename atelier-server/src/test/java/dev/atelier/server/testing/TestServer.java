package dev.atelier.server.testing;

import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real server on a random loopback port over a fresh data directory, with an HTTP client to it. */
public final class TestServer implements AutoCloseable {
    private final AtelierServer server;
    private final HttpJson http;

    private TestServer(AtelierServer server) {
        this.server = server;
        this.http = new HttpJson(server.url());
    }

    /** SQLite in a new temporary folder. */
    public static TestServer start() {
        try {
            return start(ServerConfig.forTests(Files.createTempDirectory("atelier-test")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TestServer start(ServerConfig config) {
        return new TestServer(AtelierServer.start(config));
    }

    public static TestServer start(Path dataDir) {
        return start(ServerConfig.forTests(dataDir));
    }

    public AtelierServer server() {
        return server;
    }

    public String url() {
        return server.url();
    }

    public HttpJson http() {
        return http;
    }

    @Override
    public void close() {
        server.close();
    }
}
