package dev.atelier.server.compute.local;

import dev.atelier.server.compute.SandboxMode;
import dev.atelier.server.compute.LocalLimits;
import dev.atelier.server.compute.LocalSettings;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The {@code local} target's backend: the one launcher of every local workload (jobs, sweep trials, scoring-script
 * workers, and later kinds). Each runs with a clean environment ({@link #PATH}, its own {@code HOME}, {@code LANG},
 * {@code TZ} and the workload's own variables, nothing of the server's), in its own folder below the work root
 * (outside the data directory), inside bubblewrap where it works (as its own unprivileged user when the server runs
 * as root), with the configured limits. Which {@link SandboxMode} applies is decided once, at {@link #start}.
 * Callers read the process's output and stop it with {@link ProcessTree}. Thread-safe.
 */
public final class LocalCompute implements AutoCloseable {
    /** The PATH of every local workload: system folders only (a pyenv shim in the server's home is not one). */
    public static final String PATH = "/usr/local/bin:/usr/bin:/bin";
    private static final Logger LOG = LoggerFactory.getLogger(LocalCompute.class);

    private final SandboxMode mode;
    private final Path workRoot;
    private final LocalLimits limits;
    private final List<Path> hidden;
    private final boolean root;
    private final SandboxUsers users = new SandboxUsers();
    private final PythonEnvironments environments;
    private final AtelierRuntime atelierRuntime;

    LocalCompute(SandboxMode mode, Path workRoot, LocalLimits limits, List<Path> hidden, boolean root, PipSources pip) {
        this.mode = requireNonNull(mode, "mode is null");
        this.workRoot = requireNonNull(workRoot, "workRoot is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.hidden = List.copyOf(hidden);
        this.root = root;
        this.environments = new PythonEnvironments(this, workRoot.resolve(PythonEnvironments.FOLDER), pip);
        this.atelierRuntime = new AtelierRuntime(workRoot.resolve(AtelierRuntime.FOLDER));
    }

    /**
     * Prepares the work root (created, listable by the server's user only), probes bubblewrap once unless the
     * configuration says not to, decides the mode and logs it (a warning when workloads run unsandboxed or are refused).
     *
     * @param hidden folders and files workloads must never see even where a system folder holds them (the data
     *               directory, the master key file, ...)
     * @throws IllegalArgumentException when the work root is inside the data directory, or limits are set and
     *                                  {@code prlimit} is not installed
     */
    public static LocalCompute start(LocalComputeConfig config, Path dataDir, List<Path> hidden, boolean auth) {
        Path workRoot = config.resolveWorkRoot(dataDir);
        createPrivate(workRoot);
        if (config.limits().anyLimit() && findOnPath("prlimit").isEmpty()) {
            throw new IllegalArgumentException("--local-compute limits need prlimit (util-linux), which is not on " + PATH);
        }
        boolean root = isRoot();
        Optional<String> noSandbox = config.sandbox() == LocalComputeConfig.Sandbox.NONE ? Optional.of("the configuration says not to use one")
                : !isLinux() ? Optional.of("bubblewrap needs Linux")
                : findOnPath(Bubblewrap.BWRAP).isEmpty() ? Optional.of("bwrap is not installed (Debian package bubblewrap)")
                : Bubblewrap.probe(workRoot.resolve(".probe"), root ? OptionalInt.of(SandboxUsers.FIRST) : OptionalInt.empty());
        SandboxMode mode = noSandbox.isEmpty() ? SandboxMode.BUBBLEWRAP
                : !auth || config.allowUnsandboxed() ? SandboxMode.UNSANDBOXED : SandboxMode.REFUSED;
        noSandbox.ifPresent(reason -> LOG.warn("No sandbox for local workloads: {}", reason));
        List<Path> hiddenPaths = new ArrayList<>(hidden);
        hiddenPaths.add(dataDir.toAbsolutePath().normalize());
        LocalCompute compute = new LocalCompute(mode, workRoot, config.limits(), hiddenPaths, root, config.pip());
        switch (mode) {
            case BUBBLEWRAP -> LOG.info("Local workloads run in bubblewrap{}, in {}", root ? " as unprivileged users" : "", workRoot);
            case UNSANDBOXED -> LOG.warn("Local workloads run WITHOUT a sandbox (no working bubblewrap{}): only their environment "
                    + "is clean; they can read what the server's OS user can. Work folder: {}", auth ? "; --allow-unsandboxed-local-compute" : "", workRoot);
            case REFUSED -> LOG.warn("Local workloads are REFUSED: no working bubblewrap and --auth is on; install bubblewrap or "
                    + "start with --allow-unsandboxed-local-compute");
        }
        return compute;
    }

    public SandboxMode mode() {
        return mode;
    }

    /** Where every workload's folder lives (outside the data directory; mode 0711, each workload's folder 0700). */
    public Path workRoot() {
        return workRoot;
    }

    /** The built-in atelier environment for local workloads (staged below the work root, in {@code atelier-runtime/}). */
    AtelierRuntime atelierRuntime() {
        return atelierRuntime;
    }

    /** The builds of python environments for local workloads (below the work root, in {@code environments/}). */
    public PythonEnvironments environments() {
        return environments;
    }

    public LocalLimits limits() {
        return limits;
    }

    /** The mode and limits, as the {@code local} target shows them. */
    public LocalSettings settings() {
        return new LocalSettings(mode, limits);
    }

    /** One line for the start banner: the mode, and what it means. */
    public String describe() {
        return switch (mode) {
            case BUBBLEWRAP -> "bubblewrap sandbox" + (root ? ", unprivileged users" : "") + "; work folder " + workRoot;
            case UNSANDBOXED -> "WARNING: unsandboxed (clean environment only; no working bubblewrap); work folder " + workRoot;
            case REFUSED -> "WARNING: refused (no working bubblewrap and --auth; see --allow-unsandboxed-local-compute)";
        };
    }

    /**
     * @throws AtelierException {@code INVALID_STATE} when local workloads are refused, with the reason and the remedy
     */
    public void checkAllowed() {
        if (mode == SandboxMode.REFUSED) {
            throw new AtelierException(ErrorCode.INVALID_STATE, "The local compute target refuses workloads: this host has no working "
                    + "sandbox (bubblewrap) and the server runs with --auth. Install bubblewrap, or start the server with "
                    + "--allow-unsandboxed-local-compute to run them with a clean environment only");
        }
    }

    /**
     * Whether {@code executable} can be started by a workload: a name found on {@link #PATH}, or an absolute path
     * that exists (and, in the sandbox, lies in a system folder it sees).
     */
    public boolean canRun(String executable) {
        if (!executable.contains("/")) {
            return findOnPath(executable).isPresent();
        }
        Path path = Path.of(executable);
        return path.isAbsolute() && Files.isExecutable(path) && (mode != SandboxMode.BUBBLEWRAP
                || Stream.of("/usr", "/bin", "/lib", "/sbin", "/opt", "/etc").anyMatch(folder -> path.normalize().startsWith(folder)));
    }

    /**
     * Starts the workload. Its folder is created and handed to its user; the returned process is the sandbox's outer
     * process (stop it with {@link ProcessTree}, which stops everything inside).
     *
     * @throws AtelierException {@code INVALID_STATE} when local workloads are refused
     * @throws IOException      when the process cannot be started (e.g. the program does not exist)
     */
    public Process start(Workload workload) throws IOException {
        checkAllowed();
        LOG.debug("Starting {} ({}) in {}", workload.name(), mode.wireName(), workload.folder());
        Files.createDirectories(workload.folder());
        List<String> command = new ArrayList<>();
        if (limits.anyLimit()) {
            command.add("prlimit");
            command.addAll(limits.prlimitOptions());
            command.add("--");
        }
        OptionalInt uid = OptionalInt.empty();
        if (mode == SandboxMode.BUBBLEWRAP) {
            if (root) {
                uid = OptionalInt.of(users.take());
                handTo(workload.folder(), uid.getAsInt());
                for (Path writable : workload.writableFolders()) {
                    handTo(writable, uid.getAsInt());
                }
            }
            if (workload.folder().getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(workload.folder(), PosixFilePermissions.fromString("rwx------"));
            }
            boolean network = workload.kind() != Workload.Kind.RUN_TO_COMPLETION || limits.network();
            List<Path> writable = new ArrayList<>(List.of(workload.folder()));
            writable.addAll(workload.writableFolders());
            command.addAll(Bubblewrap.wrap(workload.command(), uid, network, workload.workingDir(), writable,
                    workload.readOnlyFolders(), hidden));
        } else {
            command.addAll(workload.command());
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(workload.workingDir().toFile());
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.putAll(workload.variables());
        StringBuilder path = new StringBuilder();
        workload.pathPrefix().forEach(folder -> path.append(folder).append(File.pathSeparator));
        environment.put("PATH", path + PATH);
        environment.put("HOME", workload.folder().toString());
        environment.put("LANG", "C.UTF-8"); // UTF-8 everywhere; the server's own locale may not exist in the sandbox
        // The server's time zone when it names one; otherwise the workload reads /etc/localtime, as the server does.
        Optional.ofNullable(System.getenv("TZ")).ifPresent(zone -> environment.put("TZ", zone));
        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            uid.ifPresent(users::release);
            throw e;
        }
        uid.ifPresent(id -> process.onExit().thenRun(() -> users.release(id)));
        return process;
    }

    /**
     * Removes the empty folders left in the work root (and the work root itself when nothing is left): a server
     * started for a moment, as in tests, leaves nothing behind. Folders still holding files stay.
     */
    @Override
    public void close() {
        atelierRuntime.delete();
        try (Stream<Path> walk = Files.walk(workRoot)) {
            walk.sorted(java.util.Comparator.reverseOrder()).filter(Files::isDirectory).forEach(folder -> {
                try {
                    Files.deleteIfExists(folder);
                } catch (IOException e) {
                    // not empty, or not ours to delete: left as it is
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // the work root is gone or unreadable: nothing to tidy
        }
    }

    /**
     * Makes a finished workload's folder (a built environment) readable, never writable, by every later workload: it
     * belongs to the server's user again (when the server runs as root), folders 0755, files readable by all (and
     * executable by all where their owner may execute them).
     */
    void publish(Path folder) throws IOException {
        boolean posix = folder.getFileSystem().supportedFileAttributeViews().contains("posix");
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (root) {
                    Files.setAttribute(path, "unix:uid", 0, LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(path, "unix:gid", 0, LinkOption.NOFOLLOW_LINKS);
                }
                if (posix && !Files.isSymbolicLink(path)) {
                    boolean executable = Files.isDirectory(path) || Files.getPosixFilePermissions(path).contains(
                            java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Creates {@code folder} traversable, not listable, by workloads (as the work root): they reach their own folders below it. */
    static void createTraversable(Path folder) {
        createPrivate(folder);
    }

    /** Makes {@code folder} and everything in it belong to {@code uid} (the server, as root, can still read and delete it). */
    private static void handTo(Path folder, int uid) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void createPrivate(Path folder) {
        try {
            Files.createDirectories(folder);
            if (folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                // Traversable, not listable: a sandboxed user must reach its own folder (0700) to bind it.
                Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx--x--x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the work folder " + folder, e);
        }
    }

    static Optional<Path> findOnPath(String name) {
        return Stream.of(PATH.split(File.pathSeparator)).map(folder -> Path.of(folder, name)).filter(Files::isExecutable).findFirst();
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux");
    }

    private static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
