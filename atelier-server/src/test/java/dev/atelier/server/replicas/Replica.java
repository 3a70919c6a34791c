package dev.atelier.server.replicas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One server process of a {@link ReplicaCluster}: a child JVM running {@link ReplicaMain} on the test classpath, on a
 * random port, with a data directory of its own. Its output goes to {@code replica.log} in that directory.
 * Thread-safe.
 */
public final class Replica implements AutoCloseable {
    private final Process process;
    private final String url;
    private final Path log;

    private Replica(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** Starts the process; {@link #awaitUrl} waits for it to serve. */
    static CompletableFuture<Replica> start(Path dataDir, String databaseUrl, String artifactsUri, Map<String, String> environment,
                                            long jobLeaseMillis) {
        try {
            Files.createDirectories(dataDir);
            Path log = dataDir.resolve("replica.log");
            // The classpath goes in an @argfile: ONNX Runtime crashes a JVM whose command line is over about 4 KB.
            Path classpath = dataDir.resolve("classpath.args");
            Files.writeString(classpath, "-cp \"" + System.getProperty("java.class.path") + "\"\n");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    "@" + classpath, ReplicaMain.class.getName(),
                    "--data-dir", dataDir.toString(), "--database-url", databaseUrl, "--artifacts-uri", artifactsUri,
                    "--job-lease-ms", Long.toString(jobLeaseMillis)));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            return CompletableFuture.supplyAsync(() -> new Replica(process, awaitUrl(process, log), log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the child's output to its log, and returns the URL of its ready line; fails when it exits first. */
    private static String awaitUrl(Process process, Path log) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
            String line;
            while ((line = reader.readLine()) != null) {
                out.write(line);
                out.newLine();
                out.flush();
                if (line.startsWith(ReplicaMain.READY_LINE)) {
                    String url = line.substring(ReplicaMain.READY_LINE.length()).strip();
                    Thread.ofVirtual().name("replica-log").start(() -> copyRest(reader, out));
                    return url;
                }
            }
            out.close();
            throw new IllegalStateException("the replica exited before serving; its output: " + Files.readString(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyRest(BufferedReader reader, java.io.Writer out) {
        try (out) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.write(line);
                out.write('\n');
                out.flush();
            }
        } catch (IOException e) {
            // The process died (a test killed it): the log ends here.
        }
    }

    public String url() {
        return url;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** SIGKILL: the process gets no chance to finish anything. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }
}
