package dev.atelier.scoring;

import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.server.models.ModelRuntime;
import dev.atelier.server.models.ModelRuntimes;
import dev.atelier.server.models.Table;
import dev.atelier.server.serving.protocol.MlflowInvocations;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The main class of a model package's jar: {@code java -jar model.jar [--port N] [--host H]
 * [--max-payload-bytes B]}. Copies the model's files out of its own jar into a temporary folder (the
 * runtimes load files), loads them with the server's {@link ModelRuntimes}, and serves them with a
 * {@link ScoringServer} until stopped; prints one line once it answers. ONNX Runtime's native library is loaded from a
 * cache folder it is copied to once ({@link NativeLibraryCache}), not extracted anew at each start. The port defaults to
 * {@code $PORT}, else 8080; the host to every interface.
 */
public final class PackagedServer {
    private PackagedServer() {
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: java -jar <package>.jar [--port N] [--host ADDRESS] [--max-payload-bytes BYTES]");
            System.exit(2);
            return;
        }
        Path jar = ownJar();
        Path folder = Files.createTempDirectory("atelier-model-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(folder)));
        PackagedModel model = extract(jar, folder);
        try (JarFile file = new JarFile(jar.toFile())) {
            NativeLibraryCache.use(file, System.getenv());
        }
        // Load the model (its native library, the MLmodel's YAML) on one core while this thread loads the
        // codecs' classes on the other: the first answer comes sooner.
        CompletableFuture<ModelRuntime> loading = CompletableFuture.supplyAsync(() -> ModelRuntimes.only(model.flavor()).load(folder),
                runnable -> Thread.ofPlatform().name("model-load").start(runnable));
        warmCodecs();
        ModelRuntime runtime = loading.join();
        ScoringServer server = new ScoringServer(runtime, model, model.atelierVersion(), new InetSocketAddress(options.host(), options.port()),
                options.maxPayloadBytes());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.printf("Serving model %s version %s (%s) on http://%s:%d (started in %d ms)%n", model.name(), model.version(),
                runtime.flavor(), options.host(), server.port(), (System.nanoTime() - started) / 1_000_000);
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /** Reads and writes one small body with the protocols' codecs, so that their classes are loaded before the first call. */
    private static void warmCodecs() {
        try {
            MlflowInvocations.parse("{\"dataframe_split\": {\"columns\": [\"x\"], \"data\": [[0.5]]}}".getBytes(StandardCharsets.UTF_8),
                    "application/json", new ModelSignature(Optional.empty(), Optional.empty(), Optional.empty()));
            MlflowInvocations.writePredictions(new Table(List.of("x"), List.<List<Object>>of(List.of(0.5))));
        } catch (RuntimeException e) {
            // only warming: the codecs answer real calls whatever happened here
        }
    }

    /** The command line. */
    record Options(String host, int port, long maxPayloadBytes) {
        static Options parse(String[] args) {
            String host = "0.0.0.0";
            String environmentPort = System.getenv("PORT");
            int port = environmentPort == null || environmentPort.isBlank() ? 8080 : number("PORT", environmentPort.strip());
            long maxPayloadBytes = 100L * 1024 * 1024;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name.startsWith("--") ? name + " needs a value" : "unknown argument " + name);
                }
                String value = args[++i];
                switch (name) {
                    case "--port" -> port = number("--port", value);
                    case "--host" -> host = value;
                    case "--max-payload-bytes" -> maxPayloadBytes = number("--max-payload-bytes", value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--port must be between 0 and 65535, not " + port);
            }
            return new Options(host, port, maxPayloadBytes);
        }

        private static int number(String name, String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a number, not '" + value + "'");
            }
        }
    }

    private static Path ownJar() throws URISyntaxException {
        return Path.of(PackagedServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Copies the jar's {@code model/} entries into {@code folder}; returns the package's description. */
    static PackagedModel extract(Path jar, Path folder) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("not started from a model package's jar (" + jar + "): build one with 'atelier models package'");
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            JarEntry description = file.getJarEntry(PackagedModel.PATH);
            if (description == null) {
                throw new IllegalStateException(jar + " holds no model: build a package with 'atelier models package'");
            }
            PackagedModel model;
            try (InputStream in = file.getInputStream(description)) {
                model = PackagedModel.read(in);
            }
            for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                if (!entry.getName().startsWith(PackagedModel.MODEL_FOLDER) || entry.isDirectory()) {
                    continue;
                }
                Path target = folder.resolve(entry.getName().substring(PackagedModel.MODEL_FOLDER.length())).normalize();
                if (!target.startsWith(folder)) {
                    throw new IllegalStateException("entry " + entry.getName() + " escapes the model folder");
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, target);
                }
            }
            return model;
        }
    }

    private static void deleteTree(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete " + folder + ": " + e.getMessage());
        }
    }
}
