package dev.atelier.server.compute.local;

import dev.atelier.api.AtelierException;
import dev.atelier.server.environments.Environment;
import dev.atelier.server.environments.EnvironmentBuilds;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Builds python environments for local workloads, once per content: the key is the SHA-256 digest of the build's
 * specification (the tool, the interpreter and the requirements text, or the conda file). A pip environment is
 * {@code <interpreter> -m venv} then {@code pip install -r requirements.txt} with the configured {@link PipSources}; a
 * conda file is built with {@code micromamba} or {@code conda} when one is installed. The build runs as a sandboxed
 * workload of its own ({@link Workload.Kind#BUILD}: it writes only its folder), since installing packages runs their
 * code. Layout below {@code <work root>/environments} (outside the data directory, so workloads can be given it):
 * <pre>
 *   &lt;digest&gt;/          the build's folder (its HOME while it builds), readable by every workload once built
 *   &lt;digest&gt;/venv/     the environment: bound read-only into workloads, its bin first on their PATH
 *   &lt;digest&gt;.log       the build log, every build of that digest appended; written by the server, not by pip
 *   &lt;digest&gt;.built     written last: present means the build finished (a folder without it is deleted and rebuilt)
 * </pre>
 * Thread-safe: one build per digest at a time (a lock per digest); workloads that want an environment being built
 * wait for that build instead of starting another.
 */
public final class PythonEnvironments implements EnvironmentBuilds {
    static final String FOLDER = "environments";
    /** The first line of every build in its log. */
    public static final String BUILD_HEADER = "[atelier] Building environment ";
    private static final int TAIL_LINES = 12;
    private static final int MAX_LOG_BYTES = 1024 * 1024;
    private static final List<String> CONDA_TOOLS = List.of("micromamba", "conda");
    private static final List<String> CONDA_FOLDERS = List.of("/opt/conda/bin", "/opt/micromamba/bin");

    private final LocalCompute local;
    private final Path root;
    private final PipSources pip;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    PythonEnvironments(LocalCompute local, Path root, PipSources pip) {
        this.local = requireNonNull(local, "local is null");
        this.root = requireNonNull(root, "root is null");
        this.pip = requireNonNull(pip, "pip is null");
    }

    /** What a build is keyed by: {@code pip} with an interpreter and requirements text, or {@code conda} with a conda file. */
    private record Spec(String tool, String interpreter, String text) {
        String digest() {
            try {
                byte[] bytes = (tool + "\n" + interpreter + "\n" + text).getBytes(StandardCharsets.UTF_8);
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * The environment, built now unless it was before (waiting for a build of the same content that runs already).
     * Progress and the build's output go to {@code log}, a line at a time, as well as to the build log.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE when the environment is not built locally, its interpreter or
     *                          conda tool is not installed, or the build fails (with the tool's last lines of output);
     *                          INVALID_STATE when local workloads are refused
     */
    public PreparedEnvironment prepare(Environment environment, Consumer<String> log) {
        Spec spec = spec(environment).orElseThrow(() -> AtelierException.invalidParameter("Environment " + environment.reference()
                + " is a " + environment.kind().wireName() + " environment, which the local target does not build"));
        String digest = spec.digest();
        PreparedEnvironment prepared = PreparedEnvironment.python(root.resolve(digest).resolve("venv"), digest);
        String what = "[atelier] Environment " + environment.reference() + " (build " + digest.substring(0, 12) + ")";
        if (built(digest)) {
            log.accept(what + ": already built");
            return prepared;
        }
        local.checkAllowed();
        ReentrantLock lock = locks.computeIfAbsent(digest, key -> new ReentrantLock());
        if (!lock.tryLock()) {
            log.accept(what + ": waiting for the build another workload started");
            lock.lock();
        }
        try {
            if (built(digest)) {
                log.accept(what + ": built by another workload");
                return prepared;
            }
            buildNow(environment, spec, digest, log);
            return prepared;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Build build(Environment environment) {
        Optional<Spec> spec = spec(environment);
        if (spec.isEmpty()) {
            return Build.NOT_APPLICABLE;
        }
        String digest = spec.get().digest();
        ReentrantLock lock = locks.get(digest);
        State state = lock != null && lock.isLocked() ? State.BUILDING : built(digest) ? State.BUILT
                : Files.exists(root.resolve(digest + ".log")) ? State.FAILED : State.NOT_BUILT;
        return new Build(state, digest, readLog(root.resolve(digest + ".log")));
    }

    /**
     * Removes the builds (folders, logs, markers) that none of {@code environments} is built from any more, except
     * those building now; returns how many digests were removed. Called with every version of every workspace.
     */
    public int collectGarbage(Collection<Environment> environments) {
        Set<String> kept = environments.stream().map(PythonEnvironments::spec).flatMap(Optional::stream).map(Spec::digest)
                .collect(Collectors.toSet());
        if (!Files.isDirectory(root)) {
            return 0;
        }
        Map<String, List<Path>> unused = new HashMap<>();
        try (Stream<Path> entries = Files.list(root)) {
            entries.forEach(entry -> {
                String name = entry.getFileName().toString();
                String digest = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
                if (!kept.contains(digest)) {
                    unused.computeIfAbsent(digest, key -> new ArrayList<>()).add(entry);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
        int removed = 0;
        for (var entry : unused.entrySet()) {
            ReentrantLock lock = locks.computeIfAbsent(entry.getKey(), key -> new ReentrantLock());
            if (lock.tryLock()) {
                try {
                    // The marker first: a build without it is never used, whatever is left of its folder.
                    entry.getValue().sort(Comparator.comparing(path -> !path.toString().endsWith(".built")));
                    entry.getValue().forEach(Folders::deleteQuietly);
                    removed++;
                } finally {
                    lock.unlock();
                }
            }
        }
        return removed;
    }

    private static Optional<Spec> spec(Environment environment) {
        return switch (environment.kind()) {
            case PROCESS, ATELIER -> Optional.empty();
            case PYTHON -> Optional.of(environment.condaFile().map(conda -> new Spec("conda", "", conda))
                    .orElseGet(() -> new Spec("pip", interpreter(environment.python()), environment.requirements().orElse(""))));
            case IMAGE -> environment.condaFile().map(conda -> new Spec("conda", "", conda));
        };
    }

    /** {@code 3.11} is {@code python3.11}, an absolute path is itself, none is {@code python3}. */
    private static String interpreter(Optional<String> python) {
        return python.map(value -> value.startsWith("/") ? value : "python" + value).orElse("python3");
    }

    private boolean built(String digest) {
        return Files.isRegularFile(root.resolve(digest + ".built")) && Files.exists(root.resolve(digest).resolve("venv/bin/python"));
    }

    private void buildNow(Environment environment, Spec spec, String digest, Consumer<String> jobLog) {
        Path folder = root.resolve(digest);
        long start = System.nanoTime();
        try {
            LocalCompute.createTraversable(root);
            Files.deleteIfExists(root.resolve(digest + ".built"));
            Folders.deleteQuietly(folder); // what an interrupted build left
            Files.createDirectories(folder);
            try (BuildLog log = new BuildLog(root.resolve(digest + ".log"), jobLog)) {
                Map<String, String> variables = new HashMap<>();
                List<String> command = spec.tool().equals("pip") ? pipCommand(environment, spec, folder)
                        : condaCommand(environment, spec, folder, variables);
                log.line(BUILD_HEADER + environment.reference() + " (" + digest + ") at " + Instant.now() + ": "
                        + String.join(" ", command.subList(spec.tool().equals("pip") ? 3 : 0, command.size())));
                int exit = run(environment, command, folder, variables, log);
                if (exit != 0) {
                    log.line("[atelier] Build failed: exit code " + exit);
                    Folders.deleteQuietly(folder);
                    throw AtelierException.invalidParameter("Could not build environment " + environment.reference() + " ("
                            + spec.tool() + " exited with code " + exit + "): " + String.join("\n", log.message()));
                }
                local.publish(folder);
                Path marker = root.resolve(digest + ".built.tmp");
                Files.writeString(marker, environment.reference() + " " + Instant.now() + "\n");
                Files.move(marker, root.resolve(digest + ".built"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                log.line("[atelier] Built in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
            }
        } catch (IOException e) {
            Folders.deleteQuietly(folder);
            throw AtelierException.invalidParameter("Could not build environment " + environment.reference() + ": " + e.getMessage());
        }
    }

    /** {@code sh -c '<python> -m venv venv && venv/bin/python -m pip install ... -r requirements.txt'}, arguments passed as such. */
    private List<String> pipCommand(Environment environment, Spec spec, Path folder) throws IOException {
        String interpreter = spec.interpreter();
        boolean found = interpreter.startsWith("/") ? local.canRun(interpreter) : LocalCompute.findOnPath(interpreter).isPresent();
        if (!found) {
            throw AtelierException.invalidParameter("Environment " + environment.reference() + " needs " + interpreter + ", which local "
                    + "workloads cannot run: it is not on their PATH (" + LocalCompute.PATH + ") or, as an absolute path, not in a "
                    + "system folder. Install it (Debian: " + Path.of(interpreter).getFileName() + " and its -venv package) or "
                    + "name another interpreter in 'python'");
        }
        Files.writeString(folder.resolve("requirements.txt"), spec.text());
        boolean install = !spec.text().isBlank();
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", install
                ? "\"$0\" -m venv venv && exec venv/bin/python -m pip install \"$@\"" : "exec \"$0\" -m venv venv", interpreter));
        if (install) {
            command.addAll(List.of("--no-input", "--disable-pip-version-check", "--no-cache-dir", "--progress-bar", "off"));
            command.addAll(pip.pipOptions());
            command.addAll(List.of("-r", "requirements.txt"));
        }
        return command;
    }

    /** {@code micromamba create} or {@code conda env create} of the conda file into {@code venv}, its caches in the folder. */
    private List<String> condaCommand(Environment environment, Spec spec, Path folder, Map<String, String> variables) throws IOException {
        List<String> places = new ArrayList<>(List.of(LocalCompute.PATH.split(":")));
        places.addAll(CONDA_FOLDERS);
        Path tool = CONDA_TOOLS.stream().flatMap(name -> places.stream().map(place -> Path.of(place, name)))
                .filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> AtelierException.invalidParameter("Environment " + environment.reference() + " has a conda_file, "
                        + "which needs micromamba or conda on the server's host (looked in " + String.join(", ", places)
                        + "); install one there, or describe the environment with 'python' and 'requirements'"));
        Files.writeString(folder.resolve("environment.yml"), spec.text());
        variables.putAll(pip.pipVariables());
        String prefix = folder.resolve("venv").toString();
        if (tool.getFileName().toString().equals("micromamba")) {
            variables.put("MAMBA_ROOT_PREFIX", folder.resolve(".mamba").toString());
            return List.of(tool.toString(), "create", "--yes", "--prefix", prefix, "--file", "environment.yml");
        }
        variables.put("CONDA_PKGS_DIRS", folder.resolve(".conda-pkgs").toString());
        return List.of(tool.toString(), "env", "create", "--prefix", prefix, "--file", "environment.yml");
    }

    private int run(Environment environment, List<String> command, Path folder, Map<String, String> variables, BuildLog log)
            throws IOException {
        Process process = local.start(new Workload("build of environment " + environment.reference(), Workload.Kind.BUILD, command,
                folder, folder, variables, pip.findLinks().map(List::of).orElse(List.of())));
        Thread out = Thread.ofVirtual().start(() -> pump(process.getInputStream(), log));
        Thread err = Thread.ofVirtual().start(() -> pump(process.getErrorStream(), log));
        try {
            int exit = process.waitFor();
            out.join();
            err.join();
            return exit;
        } catch (InterruptedException e) {
            ProcessTree.kill(process);
            Thread.currentThread().interrupt();
            throw AtelierException.invalidState("The build of environment " + environment.reference() + " was interrupted");
        }
    }

    private static void pump(InputStream stream, BuildLog log) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                log.line(line);
            }
        } catch (IOException e) {
            log.line("[atelier] output closed: " + e.getMessage());
        }
    }

    private static String readLog(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            int from = Math.max(0, bytes.length - MAX_LOG_BYTES);
            return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The build's log file and the caller's log, a line at a time, keeping the last lines for the error message. Thread-safe. */
    private static final class BuildLog implements AutoCloseable {
        private final Writer file;
        private final Consumer<String> caller;
        private final Deque<String> tail = new ArrayDeque<>();
        private final Deque<String> errors = new ArrayDeque<>();

        BuildLog(Path path, Consumer<String> caller) throws IOException {
            this.file = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            this.caller = caller;
        }

        synchronized void line(String line) {
            try {
                file.write(line);
                file.write('\n');
                file.flush();
            } catch (IOException e) {
                // the log is for people; the build goes on without it
            }
            caller.accept(line);
            keep(tail, line);
            if (line.startsWith("ERROR") || line.startsWith("error")) {
                keep(errors, line);
            }
        }

        /** The tool's error lines when it printed some (pip's "ERROR: ..."), else its last lines. */
        synchronized List<String> message() {
            return List.copyOf(errors.isEmpty() ? tail : errors);
        }

        private static void keep(Deque<String> lines, String line) {
            lines.addLast(line);
            if (lines.size() > TAIL_LINES) {
                lines.removeFirst();
            }
        }

        @Override
        public synchronized void close() throws IOException {
            file.close();
        }
    }
}
