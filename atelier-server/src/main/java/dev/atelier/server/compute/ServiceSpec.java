package dev.atelier.server.compute;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A long-running workload as a domain describes it (scoring workers, later notebook servers), the same for every
 * target kind: {@code replicas} copies of one program that listen on a port. In {@code command} and in the values of
 * {@code variables} a backend replaces {@value #HOST} and {@value #PORT} by the address the program must listen on
 * ({@code 127.0.0.1} and 0, "pick a free port", on the server's host; {@code 0.0.0.0} and a fixed port in a pod) and
 * {@code {folder:<name>}} by where it finds {@link ServiceFiles} {@code <name>}.
 *
 * @param id              names it across restarts: serving the same id again replaces it where the platform keeps it
 *                        (a rolling update on Kubernetes), or starts another set of replicas beside the first where
 *                        replicas live as long as their handle (the server's host)
 * @param tags            extra names of what it serves ({@code endpoint -> churn}): labels on its objects and the
 *                        placeholders of a target's service URL template
 * @param command         the program and its arguments; empty means the image's own entry point (pods only). Never put
 *                        a secret here: command lines are visible to every user of a host.
 * @param workingFolder   the files folder it starts in, if any
 * @param variables       its environment besides what the backend sets (PATH, HOME, ...); never the server's
 * @param secretVariables variables whose values are secret (a Kubernetes Secret, never an object's spec)
 * @param replicaVariable a variable that holds each replica's index, where the backend numbers replicas (local)
 * @param image           the container image it runs in (pods); a backend on the server's host runs the program itself
 * @param files           the folders it reads
 * @param replicas        how many copies, at least 1
 * @param healthPath      answers 200 on {@code GET} when a replica can take requests (probed where the platform probes)
 * @param token           the bearer token it fetches remote files with, when the server has auth on
 * @param cpu             CPU request and limit (Kubernetes quantity) when set, else the target's
 * @param memory          memory request and limit when set, else the target's
 */
public record ServiceSpec(WorkloadId id, Map<String, String> tags, List<String> command, Optional<String> workingFolder,
                          Map<String, String> variables, Map<String, String> secretVariables, Optional<String> replicaVariable,
                          Optional<String> image, List<ServiceFiles> files, int replicas, String healthPath, Optional<String> token,
                          Optional<String> cpu, Optional<String> memory) {
    public static final String HOST = "{host}";
    public static final String PORT = "{port}";

    public ServiceSpec {
        requireNonNull(id, "id is null");
        tags = Map.copyOf(tags);
        command = List.copyOf(command);
        requireNonNull(workingFolder, "workingFolder is null");
        variables = Map.copyOf(variables);
        secretVariables = Map.copyOf(secretVariables);
        requireNonNull(replicaVariable, "replicaVariable is null");
        requireNonNull(image, "image is null");
        files = List.copyOf(files);
        requireNonNull(healthPath, "healthPath is null");
        requireNonNull(token, "token is null");
        requireNonNull(cpu, "cpu is null");
        requireNonNull(memory, "memory is null");
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be at least 1, was " + replicas);
        }
        Set<String> names = new HashSet<>();
        for (ServiceFiles folder : files) {
            if (!names.add(folder.name())) {
                throw new IllegalArgumentException("files named twice: " + folder.name());
            }
        }
        if (workingFolder.isPresent() && !names.contains(workingFolder.get())) {
            throw new IllegalArgumentException("workingFolder is not one of the files: " + workingFolder.get());
        }
    }

    /** The placeholder of files {@code name}'s folder. */
    public static String folder(String name) {
        return "{folder:" + name + "}";
    }

    /** {@code text} with the placeholders replaced: {@code folders} maps each files name to its folder as the workload sees it. */
    public static String place(String text, String host, int port, Map<String, String> folders) {
        String placed = text.replace(HOST, host).replace(PORT, Integer.toString(port));
        for (Map.Entry<String, String> folder : folders.entrySet()) {
            placed = placed.replace(folder(folder.getKey()), folder.getValue());
        }
        return placed;
    }

    /** The same service with {@code newVariables} as its replicas' environment. */
    public ServiceSpec withVariables(Map<String, String> newVariables) {
        return new ServiceSpec(id, tags, command, workingFolder, newVariables, secretVariables, replicaVariable, image, files,
                replicas, healthPath, token, cpu, memory);
    }
}
