package dev.atelier.bench;

import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The server under test, run in a child JVM by {@link ServerProcess}: starts {@link AtelierServer}
 * on 127.0.0.1 and the port given, prints {@code PORT <n>} and where its start time went
 * ({@code STARTUP ...}), and stops when its standard input
 * closes, so it never outlives the benchmark.
 *
 * <p>Arguments: {@code <port> <data-dir> [<jdbc-url>]}.
 */
public final class BenchServer {
    private BenchServer() {
    }

    public static void main(String[] args) throws IOException {
        long mainEntered = System.currentTimeMillis();
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: BenchServer <port> <data-dir> [<jdbc-url>]");
            System.exit(2);
        }
        ServerConfig config = new ServerConfig(ServerConfig.DEFAULT_HOST, Integer.parseInt(args[0]), Path.of(args[1]),
                args.length == 3 ? Optional.of(args[2]) : Optional.empty(), Optional.empty());
        try (AtelierServer server = AtelierServer.start(config)) {
            long listening = System.currentTimeMillis();
            long processStarted = ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(mainEntered);
            System.out.println("PORT " + server.port());
            System.out.println("STARTUP launch-to-main " + (mainEntered - processStarted) + " ms, main-to-listening "
                    + (listening - mainEntered) + " ms");
            System.out.flush();
            InputStream in = System.in;
            while (in.read() != -1) {
                // Wait for the parent to close our standard input.
            }
        }
    }
}
