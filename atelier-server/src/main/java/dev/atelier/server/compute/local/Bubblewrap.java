package dev.atelier.server.compute.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The bubblewrap command line of a sandboxed workload: new user, mount, PID, IPC and UTS namespaces (and network when
 * it has none), dying with the server; read-only system folders ({@code /usr}, {@code /etc}, {@code /opt} where they
 * exist, and {@code /bin}, {@code /lib*}, {@code /sbin} as they are on the host), a private {@code /tmp}, a minimal
 * {@code /proc} and {@code /dev}, and the workload's own folder read-write. Nothing else of the host's file system
 * exists inside: not the data directory, the master key, the database, other workloads' folders or the server's home.
 * When the server runs as root, {@code setpriv} first drops to the workload's own unprivileged user id. The
 * environment is passed by the process environment, never with {@code --setenv} (command lines are public).
 */
final class Bubblewrap {
    static final String BWRAP = "bwrap";
    private static final List<String> SYSTEM_FOLDERS = List.of("/usr", "/etc", "/opt", "/run/systemd/resolve");
    private static final List<String> SYSTEM_LINKS_OR_FOLDERS = List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");

    private Bubblewrap() {
    }

    /**
     * The command that runs {@code command} in the sandbox.
     *
     * @param uid      the user id to run as (only when the server runs as root)
     * @param network  whether the workload shares the host's network
     * @param writable folders bound read-write at the same path
     * @param readOnly folders bound read-only at the same path
     * @param hidden   folders (covered by an empty tmpfs) and files (by {@code /dev/null}) that must stay invisible
     *                 even where a system folder holds them, such as a data directory under {@code /opt}
     */
    static List<String> wrap(List<String> command, OptionalInt uid, boolean network, Path workingDir, List<Path> writable,
                             List<Path> readOnly, List<Path> hidden) {
        List<String> args = new ArrayList<>();
        uid.ifPresent(id -> args.addAll(List.of("setpriv", "--reuid=" + id, "--regid=" + id, "--clear-groups", "--")));
        args.addAll(List.of(BWRAP, "--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                "--die-with-parent", "--new-session", "--hostname", "atelier-workload"));
        if (!network) {
            args.add("--unshare-net");
        }
        for (String folder : SYSTEM_FOLDERS) {
            if (Files.isDirectory(Path.of(folder))) {
                args.addAll(List.of("--ro-bind", folder, folder));
            }
        }
        for (String folder : SYSTEM_LINKS_OR_FOLDERS) {
            Path path = Path.of(folder);
            if (Files.isSymbolicLink(path)) {
                try {
                    args.addAll(List.of("--symlink", Files.readSymbolicLink(path).toString(), folder));
                } catch (IOException e) {
                    // an unreadable link is left out, as if it did not exist
                }
            } else if (Files.isDirectory(path)) {
                args.addAll(List.of("--ro-bind", folder, folder));
            }
        }
        args.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"));
        for (Path path : hidden) {
            if (SYSTEM_FOLDERS.stream().anyMatch(folder -> path.startsWith(folder))) {
                args.addAll(Files.isDirectory(path) ? List.of("--tmpfs", path.toString())
                        : List.of("--ro-bind", "/dev/null", path.toString()));
            }
        }
        for (Path folder : readOnly) {
            args.addAll(List.of("--ro-bind", folder.toString(), folder.toString()));
        }
        for (Path folder : writable) {
            args.addAll(List.of("--bind", folder.toString(), folder.toString()));
        }
        args.addAll(List.of("--chdir", workingDir.toString(), "--"));
        args.addAll(command);
        return args;
    }

    /**
     * Runs {@code /bin/true} in the sandbox this server would use (as {@code uid} when given); empty when it worked,
     * else why not (bwrap's own message, e.g. when user namespaces are disabled or a parent folder of the work root
     * is not traversable by {@code uid}).
     */
    static Optional<String> probe(Path probeFolder, OptionalInt uid) {
        try {
            Files.createDirectories(probeFolder);
            if (uid.isPresent()) {
                Files.setAttribute(probeFolder, "unix:uid", uid.getAsInt());
                Files.setAttribute(probeFolder, "unix:gid", uid.getAsInt());
            }
            ProcessBuilder builder = new ProcessBuilder(wrap(List.of("/bin/true"), uid, true, probeFolder, List.of(probeFolder),
                    List.of(), List.of())).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().put("PATH", LocalCompute.PATH);
            Process process = builder.start();
            String output = new String(process.getInputStream().readNBytes(4096), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.of("bwrap did not finish within 10 s");
            }
            return process.exitValue() == 0 ? Optional.empty()
                    : Optional.of("bwrap exited with code " + process.exitValue() + (output.isEmpty() ? "" : ": " + output));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("bwrap could not be run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        } finally {
            try {
                Files.deleteIfExists(probeFolder);
            } catch (IOException e) {
                // an empty folder left in the work root costs nothing
            }
        }
    }
}
