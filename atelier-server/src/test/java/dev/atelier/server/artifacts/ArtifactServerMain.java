package dev.atelier.server.artifacts;

import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Starts a server in its own JVM for {@link ArtifactStreamingTest}: the data folder is the first
 * argument, the port goes to stdout as {@code PORT <n>}, and the server stops when stdin closes
 * (so it never outlives the test that started it).
 */
public final class ArtifactServerMain {
    private ArtifactServerMain() {
    }

    public static void main(String[] args) throws IOException {
        try (AtelierServer server = AtelierServer.start(ServerConfig.forTests(Path.of(args[0])))) {
            System.out.println("PORT " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our stdin
            }
        }
    }
}
