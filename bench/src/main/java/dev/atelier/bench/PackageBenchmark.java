package dev.atelier.bench;

import dev.atelier.scoring.PackageJar;
import dev.atelier.scoring.PackagedModel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model package against the online endpoint of the same ONNX model (EndpointBenchmark's): the time
 * from {@code java -jar} to the first answered {@code /invocations} (target 1 s), plain and with a
 * class-data archive ({@code -XX:+AutoCreateSharedArchive}), beside the floor of a JVM that only starts the JDK's HTTP
 * server, with the CPU time each used until then (less sensitive to a shared machine's load than the wall time); and
 * each request's latency and CPU when
 * warm, through the package and through the server. Prints a markdown table.
 *
 * <p>Arguments: {@code [--starts N] [--requests N] [--work-dir DIR]}. Both servers and the clients
 * share the machine's cores.
 */
public final class PackageBenchmark {
    private static final String BODY = "{\"inputs\": [[0.45, 0.6]]}";
    private static final Pattern LISTENING = Pattern.compile("on http://[^:]+:(\\d+) \\(started in (\\d+) ms\\)");

    private PackageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int starts = BenchSupport.intArg(args, "--starts", 10);
        int requests = BenchSupport.intArg(args, "--requests", 20_000);
        Path dir = Files.createTempDirectory("atelier-package-bench");
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--work-dir")) {
                dir = Files.createDirectories(Path.of(args[i + 1]));
            }
        }
        // the packages' ONNX Runtime cache (NativeLibraryCache) in this run's folder: the first start fills it
        Started.cache = dir.resolve("cache");
        Path model = EndpointBenchmark.writeOnnxModel(Files.createDirectories(dir.resolve("model")));
        Path jar = dir.resolve("bench-onnx-1.jar");
        long packaging = System.nanoTime();
        PackageJar.write(model, new PackagedModel("bench-onnx", "1", "onnx", "bench"), jar);
        System.err.printf(Locale.ROOT, "packaged in %d ms, %.1f MB%n", (System.nanoTime() - packaging) / 1_000_000, Files.size(jar) / 1e6);

        StringBuilder table = new StringBuilder("| measure | runs | p50 | min | max | CPU to the first answer, p50 |\n"
                + "|---|---|---|---|---|---|\n");
        Path benchJar = Path.of(HttpFloor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        table.append(startRow("floor: a JVM whose main starts the JDK's HTTP server and answers 200 (no model, no Jackson)", starts,
                List.of("-cp", benchJar.toString(), HttpFloor.class.getName())));
        table.append(startRow("`java -jar` to the first `/invocations` answer", starts, Started.jarArguments(jar, List.of())));
        Path archive = dir.resolve("bench.jsa");
        List<String> cds = List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive);
        try (Started first = Started.start(jar, cds)) {
            first.firstAnswerMillis();
        }
        table.append(startRow("the same with a class-data archive (`-XX:+AutoCreateSharedArchive`, archive written by a first run)",
                starts, Started.jarArguments(jar, cds)));
        table.append("\n| path | clients | requests | p50 | p99 | requests/s | server CPU per request |\n|---|---|---|---|---|---|---|\n");
        try (Started packaged = Started.start(jar, List.of())) {
            packaged.firstAnswerMillis();
            String invocations = "http://127.0.0.1:" + packaged.port + "/invocations";
            Load.run(16, 20_000, (client, index) -> EndpointBenchmark.post(invocations, null, BODY));
            for (int clients : new int[] {1, 16}) {
                long cpu = packaged.cpuNanos();
                Load.Result result = Load.run(clients, requests, (client, index) -> EndpointBenchmark.post(invocations, null, BODY));
                table.append(row("package `/invocations`", clients, result, (packaged.cpuNanos() - cpu) / 1e6 / requests));
            }
        }
        try (ServerProcess server = ServerProcess.start(dir.resolve("server"), Optional.empty(), List.of())) {
            String key = EndpointBenchmark.deploy(server.url(), model);
            String invocations = server.url() + "/endpoints/bench/invocations";
            Load.run(16, 20_000, (client, index) -> EndpointBenchmark.post(invocations, key, BODY));
            for (int clients : new int[] {1, 16}) {
                CpuUse cpu = CpuUse.start(server);
                Load.Result result = Load.run(clients, requests, (client, index) -> EndpointBenchmark.post(invocations, key, BODY));
                table.append(String.format(Locale.ROOT, "| %s | %d | %,d | %.3f ms | %.3f ms | %,.0f | %s |%n", "endpoint `/invocations`",
                        clients, result.operations(), result.percentileMillis(50), result.percentileMillis(99), result.perSecond(),
                        cpu.perCall(requests, "request")));
            }
        }
        table.append("\nsystem load average at the end: ").append(Files.readString(Path.of("/proc/loadavg")).strip()).append('\n');
        System.out.print(table);
    }

    private static String startRow(String label, int runs, List<String> arguments) throws IOException {
        List<Long> millis = new ArrayList<>();
        List<Long> cpuMillis = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            try (Started started = Started.launch(arguments)) {
                millis.add(started.firstAnswerMillis());
                cpuMillis.add(started.cpuNanos() / 1_000_000);
            }
        }
        return String.format(Locale.ROOT, "| %s | %d | %d ms | %d ms | %d ms | %d ms |%n", label, runs, BenchSupport.percentile(millis, 50),
                millis.stream().mapToLong(Long::longValue).min().orElseThrow(), millis.stream().mapToLong(Long::longValue).max().orElseThrow(),
                BenchSupport.percentile(cpuMillis, 50));
    }

    private static String row(String path, int clients, Load.Result result, double cpuMillis) {
        return String.format(Locale.ROOT, "| %s | %d | %,d | %.3f ms | %.3f ms | %,.0f | %.3f ms |%n", path, clients, result.operations(),
                result.percentileMillis(50), result.percentileMillis(99), result.perSecond(), cpuMillis);
    }

    /** The floor of a start: the JDK's HTTP server answering 200 to anything, announced as a package announces itself. */
    public static final class HttpFloor {
        private HttpFloor() {
        }

        public static void main(String[] args) throws IOException {
            com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress("127.0.0.1", 0), 128);
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
            System.out.println("Serving nothing on http://127.0.0.1:" + server.getAddress().getPort() + " (started in 0 ms)");
        }
    }

    /** A package's jar started with this JVM's {@code java -jar}, timed from the launch. */
    private static final class Started implements AutoCloseable {
        private final Process process;
        private final long launched;
        private final int port;

        private Started(Process process, long launched, int port) {
            this.process = process;
            this.launched = launched;
            this.port = port;
        }

        static Started start(Path jar, List<String> options) throws IOException {
            return launch(jarArguments(jar, options));
        }

        /** The packages' cache folder ({@code ATELIER_CACHE_DIR}), or null for the user's. */
        static Path cache;

        static List<String> jarArguments(Path jar, List<String> options) {
            List<String> arguments = new ArrayList<>(options);
            arguments.addAll(List.of("-jar", jar.toString(), "--port", "0", "--host", "127.0.0.1"));
            return arguments;
        }

        /** {@code java} with these arguments, until it prints the line a package prints once it answers. */
        static Started launch(List<String> arguments) throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(arguments);
            long launched = System.nanoTime();
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
            if (cache != null) {
                builder.environment().put("ATELIER_CACHE_DIR", cache.toString());
            }
            Process process = builder.start();
            String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
            Matcher matcher = line == null ? null : LISTENING.matcher(line);
            if (matcher == null || !matcher.find()) {
                process.destroyForcibly();
                throw new IllegalStateException("the package did not start: " + line);
            }
            return new Started(process, launched, Integer.parseInt(matcher.group(1)));
        }

        /** Milliseconds from the launch to the first answered request (sent as soon as the port is known). */
        long firstAnswerMillis() {
            EndpointBenchmark.post("http://127.0.0.1:" + port + "/invocations", null, BODY);
            return (System.nanoTime() - launched) / 1_000_000;
        }

        long cpuNanos() {
            return process.toHandle().info().totalCpuDuration().orElseThrow().toNanos();
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new IOException(e));
            }
        }
    }
}
