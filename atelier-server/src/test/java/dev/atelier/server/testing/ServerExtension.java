package dev.atelier.server.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real server per test class: {@code @RegisterExtension static final ServerExtension server = new ServerExtension();}
 * starts it on a random port over a fresh SQLite data directory before the class and stops it after.
 */
public final class ServerExtension implements BeforeAllCallback, AfterAllCallback {
    private TestServer server;
    private final HttpJson http = new HttpJson(() -> server.url());

    @Override
    public void beforeAll(ExtensionContext context) {
        server = TestServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    public TestServer server() {
        return server;
    }

    public String url() {
        return server.url();
    }

    /** A client of the server, usable in a static field: it finds the server's URL when a request is sent. */
    public HttpJson http() {
        return http;
    }
}
