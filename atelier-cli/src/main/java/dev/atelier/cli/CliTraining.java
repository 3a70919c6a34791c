package dev.atelier.cli;

import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run of the CLI's class-data archive (JDK 25's ahead-of-time cache, or a dynamic CDS archive on older
 * JDKs), run once by {@code ./atelier} after each build: every subcommand's model is built (help), and a few everyday
 * commands talk to a throwaway loopback server that answers every request with an empty JSON object, so that picocli,
 * Jackson, the SDK and the JDK's HTTP client are loaded, linked and profiled the way a real command uses them. Nothing is
 * printed and nothing outside this process is contacted. Not thread-safe; run alone.
 */
final class CliTraining {
    private static final List<List<String>> COMMANDS = List.of(List.of("--help"), List.of("--version"),
            List.of("experiments", "list"), List.of("runs", "list", "--experiment", "0"), List.of("models", "list"),
            List.of("job", "list"), List.of("job", "show", "j", "-o", "json"), List.of("endpoint", "list", "-o", "yaml"),
            List.of("data", "list"), List.of("workspace", "list"));

    private CliTraining() {
    }

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            CliEnvironment quiet = new CliEnvironment(Map.of(), new ByteArrayInputStream(new byte[0]), Terminal.none(), "training");
            for (List<String> command : COMMANDS) {
                String[] arguments = command.get(0).startsWith("-") ? command.toArray(String[]::new)
                        : Stream.concat(command.stream(), Stream.of("--url", url)).toArray(String[]::new);
                var commandLine = AtelierCommand.commandLine(new AtelierCommand(quiet), arguments);
                commandLine.setOut(new PrintWriter(new StringWriter()));
                commandLine.setErr(new PrintWriter(new StringWriter()));
                commandLine.execute(AzureCliArguments.rewrite(commandLine, arguments));
            }
        } catch (UncheckedIOException e) {
            // A command that could not finish still loaded what it needed; the archive is written either way.
        } finally {
            server.stop(0);
        }
    }
}
