package dev.atelier.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An Atelier server in a child JVM ({@link BenchServer}) on a free loopback port, so that its start
 * time and its memory are its own. Closing it closes the child's standard input, which stops it.
 */
final class ServerProcess implements AutoCloseable {
    private static final Duration START_LIMIT = Duration.ofSeconds(300);

    private final Process process;
    private final int port;
    private final Duration startTime;
    private final Path dataDir;
    private final Optional<String> databaseUrl;

    private ServerProcess(Process process, int port, Duration startTime, Path dataDir, Optional<String> databaseUrl) {
        this.process = process;
        this.port = port;
        this.startTime = startTime;
        this.dataDir = dataDir;
        this.databaseUrl = databaseUrl;
    }

    /**
     * Starts the child and returns once {@code /health} answered 200; {@link #startTime()} is the
     * time from launching the JVM to that answer.
     */
    static ServerProcess start(Path dataDir, Optional<String> databaseUrl, List<String> jvmOptions) {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(launcherOptions(dataDir));
        command.addAll(jvmOptions);
        // The class path goes in a java @argfile: ONNX Runtime crashes a JVM whose command line is over ~4 KB.
        Path argFile = dataDir.toAbsolutePath().resolveSibling(dataDir.getFileName() + ".classpath");
        command.add("@" + argFile);
        command.add(BenchServer.class.getName());
        command.add(Integer.toString(port));
        command.add(dataDir.toAbsolutePath().toString());
        databaseUrl.ifPresent(command::add);
        try {
            Files.createDirectories(dataDir);
            Files.writeString(argFile, "-cp \"" + System.getProperty("java.class.path") + "\"\n");
            Path log = dataDir.resolve("server.log");
            long launched = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            awaitHealth(process, port, log);
            return new ServerProcess(process, port, Duration.ofNanos(System.nanoTime() - launched), dataDir, databaseUrl);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the server", e);
        }
    }

    private static void awaitHealth(Process process, int port, Path log) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(5);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the server did not answer /health within " + START_LIMIT + "; see " + log);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The last {@code STARTUP} line the server printed (a data folder's log holds one per start) (JVM launch to main, main to listening), or empty. */
    String startupBreakdown() {
        try {
            return Files.readAllLines(dataDir.resolve("server.log")).stream().filter(line -> line.startsWith("STARTUP "))
                    .map(line -> line.substring("STARTUP ".length())).reduce((first, last) -> last).orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    /** The server's data folder (its SQLite file is {@code atelier.db} there). */
    Path dataDir() {
        return dataDir;
    }

    /** The PostgreSQL URL the server uses; empty for SQLite. */
    Optional<String> databaseUrl() {
        return databaseUrl;
    }

    Duration startTime() {
        return startTime;
    }

    /** CPU time the server JVM has used so far (user + system, all threads). */
    Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration().orElseThrow(() -> new IllegalStateException("no CPU time for the server"));
    }

    /** Resident memory of the child now (VmRSS), in MiB. */
    long residentMegabytes() {
        return statusField("VmRSS:") / 1024;
    }

    /** The most resident memory the child had so far (VmHWM), in MiB. */
    long peakResidentMegabytes() {
        return statusField("VmHWM:") / 1024;
    }

    private long statusField(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).replace("kB", "").trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the memory of the server (Linux /proc only)", e);
        }
        throw new IllegalStateException(name + " not found in /proc/" + process.pid() + "/status");
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The options {@code ./atelier} starts the server with: those of scripts/jvm.options (run.sh
     * runs from the repository root) and a class-data-sharing archive beside the data folders, so
     * that cold start is measured as a user's second and later starts are.
     */
    static List<String> launcherOptions(Path dataDir) {
        Path file = Path.of("scripts", "jvm.options");
        List<String> options = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            try {
                for (String line : Files.readAllLines(file)) {
                    String option = line.strip();
                    if (!option.isEmpty() && !option.startsWith("#")) {
                        options.add(option);
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        Path archive = dataDir.toAbsolutePath().getParent().resolve("atelier-server.jsa");
        options.add("-XX:SharedArchiveFile=" + archive);
        options.add("-XX:+AutoCreateSharedArchive");
        options.add("-Xlog:cds=off");
        options.add("-Xlog:cds+dynamic=off");
        return options;
    }
}
