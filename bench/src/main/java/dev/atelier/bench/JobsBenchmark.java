package dev.atelier.bench;

import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.Job;
import dev.atelier.sdk.JobLogPage;
import dev.atelier.sdk.UploadProgress;
import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.compute.local.LocalComputeConfig;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The jobs benchmark (bench/README.md): submission-to-process-start latency of a trivial job on
 * {@code local}, and snapshot upload throughput for 5,000 small files and for one 500 MB file.
 * Runs a server in this JVM over a fresh data directory and talks to it through the SDK, as the
 * CLI does. Prints a markdown table on standard output.
 *
 * <p>Arguments: {@code [--jobs N] [--small-files N] [--large-mb N]}.
 */
public final class JobsBenchmark {
    /** Jobs of each series not counted: the JIT and the first server's caches warm up on them. */
    private static final int WARM_UP = 10;

    private JobsBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int jobs = BenchSupport.intArg(args, "--jobs", 50);
        int smallFiles = BenchSupport.intArg(args, "--small-files", 5000);
        int largeMb = BenchSupport.intArg(args, "--large-mb", 500);
        Path work = Files.createTempDirectory("atelier-jobs-bench");
        System.out.println("| scenario | target | result |");
        System.out.println("|---|---|---|");
        ServerConfig unsandboxed = ServerConfig.forTests(work.resolve("data-unsandboxed"));
        unsandboxed = unsandboxed.withJobs(unsandboxed.jobs().withLocal(unsandboxed.jobs().local().withSandbox(LocalComputeConfig.Sandbox.NONE)));
        long withoutSandbox;
        try (AtelierServer server = AtelierServer.start(unsandboxed);
             AtelierClient client = AtelierClient.connect(server.url())) {
            withoutSandbox = latency(client, jobs, "unsandboxed (sandbox: none)", "— (27 ms p50 before)", Optional.empty());
        }
        try (AtelierServer server = AtelierServer.start(ServerConfig.forTests(work.resolve("data")));
             AtelierClient client = AtelierClient.connect(server.url())) {
            long sandboxed = latency(client, jobs, server.localCompute().mode().wireName(), "≤ 100 ms p50", Optional.empty());
            System.out.printf("| the sandbox's own cost per job start (difference of the two p50s) | — | %d ms |%n", sandboxed - withoutSandbox);
            environmentJobs(client, jobs, server.localCompute().mode().wireName(), sandboxed);
            Path small = smallFiles(work.resolve("small"), smallFiles);
            upload(client, "snapshot upload, " + smallFiles + " files of 1-4 KiB", small, smallFiles);
            Path large = largeFile(work.resolve("large"), largeMb);
            upload(client, "snapshot upload, one " + largeMb + " MB file", large, 1);
        } finally {
            try (Stream<Path> walk = Files.walk(work)) {
                walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /**
     * The same trivial jobs in a python environment (a venv of the host's python3, no requirements): the first job
     * builds it, the measured ones reuse the build. The target is the sandboxed p50 plus 50 ms.
     */
    private static void environmentJobs(AtelierClient client, int count, String mode, long baseline) {
        com.fasterxml.jackson.databind.node.ObjectNode document = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("name", "bench-python").put("python", "/usr/bin/python3");
        client.environments().create(document);
        long p50 = latency(client, count, mode, "≤ " + (baseline + 50) + " ms p50 (the run without + 50 ms)",
                Optional.of("bench-python:1"));
        System.out.printf("| what an already-built environment adds to a job's start (difference of the p50s) | ≤ 50 ms | %d ms |%n",
                p50 - baseline);
    }

    /**
     * Submits trivial jobs one after the other; the process prints its start time, which is compared with the submit
     * time. Returns the p50 of submission → process start.
     */
    private static long latency(AtelierClient client, int count, String mode, String target, Optional<String> environment) {
        List<Long> toProcess = new ArrayList<>();
        List<Long> toRunning = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = "latency-" + mode.replaceAll("[^a-z0-9]", "") + environment.map(env -> "-env").orElse("") + "-" + i;
            long submitted = System.currentTimeMillis();
            client.jobs().create(dev.atelier.sdk.JobDocuments.parse("name: " + name + "\ncommand: date +%s%3N\n"
                    + environment.map(env -> "environment: " + env + "\n").orElse("")));
            Job job = client.jobs().get(name);
            while (!job.ended()) {
                BenchSupport.sleep(5);
                job = client.jobs().get(name);
            }
            JobLogPage logs = client.jobs().logs(name, 0);
            long started = logs.lines().stream().filter(line -> line.stream().equals("stdout")).findFirst()
                    .map(line -> Long.parseLong(line.text().strip())).orElseThrow();
            if (i >= WARM_UP) {
                toProcess.add(started - submitted);
                toRunning.add(job.json().path("started_at").asLong() - job.json().path("created_at").asLong());
            }
        }
        System.out.printf("| submission → process start, trivial job on local, %s%s (%d jobs after %d to warm up) | %s | "
                + "p50 %d ms, p95 %d ms (server: created → Running p50 %d ms) |%n", mode,
                environment.map(env -> ", environment " + env).orElse(""), toProcess.size(), WARM_UP, target, BenchSupport.percentile(toProcess, 50),
                BenchSupport.percentile(toProcess, 95), BenchSupport.percentile(toRunning, 50));
        return BenchSupport.percentile(toProcess, 50);
    }

    private static void upload(AtelierClient client, String scenario, Path source, int files) {
        long bytes = size(source);
        long start = System.nanoTime();
        client.snapshots().upload(source, 1L << 40, UploadProgress.NONE);
        double seconds = (System.nanoTime() - start) / 1e9;
        long again = System.nanoTime();
        client.snapshots().upload(source, 1L << 40, UploadProgress.NONE);
        double dedup = (System.nanoTime() - again) / 1e9;
        System.out.printf("| %s | — | %.1f s: %.0f files/s, %.1f MB/s (hashing included); unchanged re-upload %.2f s |%n", scenario,
                seconds, files / seconds, bytes / 1e6 / seconds, dedup);
    }

    private static Path smallFiles(Path folder, int count) throws IOException {
        Random random = new Random(42);
        for (int i = 0; i < count; i++) {
            Path file = folder.resolve("pkg" + (i % 50)).resolve("file" + i + ".py");
            Files.createDirectories(file.getParent());
            byte[] content = new byte[1024 + random.nextInt(3072)];
            random.nextBytes(content);
            Files.write(file, content);
        }
        return folder;
    }

    private static Path largeFile(Path folder, int megabytes) throws IOException {
        Files.createDirectories(folder);
        Path file = folder.resolve("weights.bin");
        Random random = new Random(7);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < megabytes; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        return file;
    }

    private static long size(Path path) {
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
