package dev.atelier.server.compute.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One process to run on the {@code local} target, as a domain describes it (a job, a sweep trial, a scoring-script
 * worker, ...). Its own folder is its {@code HOME}, read-write and the only folder of the work root it sees.
 *
 * @param name      names it in log lines and error messages (e.g. {@code job my-job}, {@code worker 0 of ep/blue})
 * @param kind      whether it runs to completion or serves requests on loopback (serving keeps the host's network)
 * @param command   the program and its arguments; the program is looked up on {@link LocalCompute#PATH}. Never put a
 *                  secret here: command lines are visible to every user of the host.
 * @param folder    its own folder: {@code HOME}, read-write; handed to the workload's user
 * @param workingDir where it starts: {@code folder} or a folder below it, or one of {@code readOnlyFolders}
 * @param variables its whole environment besides {@code PATH}, {@code HOME}, {@code LANG} and {@code TZ}: its
 *                  own {@code MLFLOW_*}/{@code AZUREML_*}/{@code ATELIER_*} variables, declared variables and secrets
 * @param readOnlyFolders other folders it may read (e.g. a model's files kept elsewhere, a built python environment);
 *                  never the data directory
 * @param pathPrefix folders put before {@link LocalCompute#PATH}, in order (e.g. a python environment's {@code bin});
 *                  each must be visible to it (in {@code readOnlyFolders} or a system folder)
 * @param writableFolders other folders it writes in and that outlive it (a notebook server's files), bound read-write at
 *                  the same path and handed to its user; never the data directory itself
 */
public record Workload(String name, Kind kind, List<String> command, Path folder, Path workingDir, Map<String, String> variables,
                       List<Path> readOnlyFolders, List<Path> pathPrefix, List<Path> writableFolders) {
    /**
     * How long it runs, and what it reaches: a run-to-completion workload has the network only when the limits allow
     * it; a serving one keeps the host's network (the server reaches it over loopback), and so does an environment
     * build (pip reaches its package index).
     */
    public enum Kind { RUN_TO_COMPLETION, SERVING, BUILD }

    public Workload {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        command = List.copyOf(requireNonNull(command, "command is null"));
        folder = requireNonNull(folder, "folder is null").toAbsolutePath().normalize();
        workingDir = requireNonNull(workingDir, "workingDir is null").toAbsolutePath().normalize();
        variables = Map.copyOf(requireNonNull(variables, "variables is null"));
        readOnlyFolders = requireNonNull(readOnlyFolders, "readOnlyFolders is null").stream()
                .map(path -> path.toAbsolutePath().normalize()).toList();
        pathPrefix = requireNonNull(pathPrefix, "pathPrefix is null").stream().map(path -> path.toAbsolutePath().normalize()).toList();
        writableFolders = requireNonNull(writableFolders, "writableFolders is null").stream()
                .map(path -> path.toAbsolutePath().normalize()).toList();
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command is empty");
        }
    }

    /** A workload with no folder of its own but {@code folder} to write in. */
    public Workload(String name, Kind kind, List<String> command, Path folder, Path workingDir, Map<String, String> variables,
                    List<Path> readOnlyFolders, List<Path> pathPrefix) {
        this(name, kind, command, folder, workingDir, variables, readOnlyFolders, pathPrefix, List.of());
    }

    /** A workload with nothing before {@link LocalCompute#PATH}. */
    public Workload(String name, Kind kind, List<String> command, Path folder, Path workingDir, Map<String, String> variables,
                    List<Path> readOnlyFolders) {
        this(name, kind, command, folder, workingDir, variables, readOnlyFolders, List.of());
    }
}
