package dev.atelier.server.serving.script;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The Python runner Atelier ships ({@code serving/atelier_score_runner.py}, standard library only): it imports a
 * scoring script, calls its {@code init()} once and serves {@code POST /score} → {@code run(raw_data)} and
 * {@code GET /health}. Local workers and Kubernetes pods start it with the same command line; a local worker also
 * gets a secret ({@link #SECRET_VARIABLE}) that every request must carry ({@link #SECRET_HEADER}).
 */
public final class ScoringRunner {
    /** The runner's file name wherever it is written (a worker's folder, a ConfigMap key). */
    public static final String FILE_NAME = "atelier_score_runner.py";
    /** The line the runner prints on stdout when it listens, followed by the port. */
    public static final String LISTENING_PREFIX = "ATELIER_RUNNER_LISTENING ";
    /**
     * The variable that gives a local worker its secret (its environment, never its command line); without it, as in
     * a Kubernetes pod, the runner checks nothing.
     */
    public static final String SECRET_VARIABLE = "ATELIER_WORKER_SECRET";
    /** The header every call to a local worker carries its secret in; a call without it is answered 401, a wrong one 403. */
    public static final String SECRET_HEADER = "X-Atelier-Worker-Secret";
    /** The runner's exit code when importing the script or {@code init()} failed. */
    public static final int INIT_FAILED_EXIT = 3;

    private static final String RESOURCE = "/serving/" + FILE_NAME;
    private static final String SOURCE = load();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ScoringRunner() {
    }

    /** The runner's Python source, e.g. for a Kubernetes ConfigMap. */
    public static String source() {
        return SOURCE;
    }

    /** Writes the runner into {@code folder} (atomically, so concurrent starts never read half a file) and returns its path. */
    public static Path writeTo(Path folder) {
        try {
            Files.createDirectories(folder);
            Path target = folder.resolve(FILE_NAME);
            Path temporary = Files.createTempFile(folder, FILE_NAME, ".tmp");
            Files.writeString(temporary, SOURCE, StandardCharsets.UTF_8);
            if (folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                // A temporary file is 0600; a sandboxed worker runs as another user and must read it.
                Files.setPosixFilePermissions(temporary, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the scoring runner into " + folder, e);
        }
    }

    /**
     * The command that starts the runner: {@code <python...> <runner> --code <dir> --script <file> --host <h> --port <p>}.
     * Port 0 picks a free port; the runner then prints {@link #LISTENING_PREFIX} and the port.
     */
    public static List<String> command(List<String> python, String runner, String codeDir, String scoringScript, String host, String port) {
        List<String> command = new ArrayList<>(python);
        command.addAll(List.of(requireNonNull(runner, "runner is null"), "--code", requireNonNull(codeDir, "codeDir is null"),
                "--script", requireNonNull(scoringScript, "scoringScript is null"), "--host", requireNonNull(host, "host is null"),
                "--port", requireNonNull(port, "port is null")));
        return List.copyOf(command);
    }

    /**
     * The variables that tell a scoring script where the model is (Azure ML's name and Atelier's), and that make
     * Python write its output unbuffered so log lines arrive as they are printed.
     */
    public static Map<String, String> modelVariables(String modelDir) {
        return Map.of("AZUREML_MODEL_DIR", modelDir, "ATELIER_MODEL_DIR", modelDir, "PYTHONUNBUFFERED", "1");
    }

    /** A new random worker secret: 32 bytes from a strong random source, as URL-safe Base64. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String load() {
        try (InputStream in = ScoringRunner.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The resource " + RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
