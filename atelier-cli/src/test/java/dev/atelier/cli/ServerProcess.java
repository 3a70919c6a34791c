package dev.atelier.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code atelier server} running as a child JVM on this test's class path, so that a test can
 * kill it the hard way. Reads the URL from the startup line
 * {@code Atelier <version> listening on http://127.0.0.1:PORT}.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("^Atelier \\S+ listening on (http://\\S+)$");
    private static final long START_TIMEOUT_SECONDS = 90;

    private static final String LAST_STARTUP_LINE = "Press Ctrl-C to stop.";

    private final Process process;
    private final String url;
    private final List<String> startupLines;

    private ServerProcess(Process process, String url, List<String> startupLines) {
        this.process = process;
        this.url = url;
        this.startupLines = List.copyOf(startupLines);
    }

    /**
     * Starts a server on a free port with its data in {@code dataDir} and {@code options} added;
     * its stderr goes to {@code log}. Returns once the server has printed its startup lines.
     */
    static ServerProcess start(Path dataDir, Path log, String... options) throws IOException, InterruptedException {
        return startWrapped(List.of(), dataDir, log, options);
    }

    /** As {@link #start}, the java command run by {@code wrapper} (a program that ends by running its arguments). */
    static ServerProcess startWrapped(List<String> wrapper, Path dataDir, Path log, String... options)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                AtelierCommand.class.getName(), "server", "--port", "0", "--data-dir", dataDir.toString()));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> readLines(process, lines), "server-stdout");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        List<String> startup = new ArrayList<>();
        String url = null;
        while (System.nanoTime() < deadline) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null) {
                startup.add(line);
                Matcher listening = LISTENING.matcher(line);
                if (listening.matches()) {
                    url = listening.group(1);
                }
                if (url != null && line.equals(LAST_STARTUP_LINE)) {
                    return new ServerProcess(process, url, startup);
                }
            } else if (!process.isAlive()) {
                break;
            }
        }
        process.destroyForcibly().waitFor();
        throw new AssertionError("the server did not start (exit " + (process.isAlive() ? "none" : process.exitValue())
                + "); its log:\n" + Files.readString(log));
    }

    private static void readLines(Process process, BlockingQueue<String> lines) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // The process died; the test sees that through the process, not through this stream.
        }
    }

    String url() {
        return url;
    }

    /** What the server printed on stdout up to {@code Press Ctrl-C to stop.} */
    List<String> startupLines() {
        return startupLines;
    }

    /** Kills the process like {@code kill -9}: no shutdown hook runs, nothing is flushed or closed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the server did not die within 30s of kill -9");
        }
    }

    /** Stops the process like Ctrl-C would (SIGTERM runs the shutdown hook), killing it if that hangs. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
