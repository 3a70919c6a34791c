package dev.atelier.server.compute;

import dev.atelier.server.environments.Environment;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A run-to-completion workload as a domain describes it, the same for every target kind.
 *
 * @param command         a shell command line, run with {@code /bin/sh -c} in the working directory ({@link Placement#codeDir})
 * @param variables       its whole environment besides what the backend sets (PATH, HOME, ...); never the server's
 * @param secretVariables which of {@code variables} are secret (kept in a Kubernetes Secret, never in an object's spec)
 * @param token           the bearer token it fetches staged files and uploads outputs with, when the server has auth on
 * @param outputFolders   outputs to create as empty folders below {@link Placement#outputs} before it starts
 * @param outputsUpload   where a workload that does not run on the server's host posts its {@code outputs/} folder at its
 *                        end (a gzip'd tar; a path below the workspace's base URL), if anywhere
 * @param timeout         it fails when still running after this long
 * @param cpu             CPU request and limit (Kubernetes quantity) when set, else the target's
 * @param memory          memory request and limit when set, else the target's
 */
public record RunSpec(WorkloadId id, String command, Map<String, String> variables, Set<String> secretVariables,
                      Optional<String> token, Optional<Environment> environment, List<Staged> staged, List<String> outputFolders,
                      Optional<String> outputsUpload, Optional<Duration> timeout, Optional<String> cpu, Optional<String> memory) {
    public RunSpec {
        requireNonNull(id, "id is null");
        requireNonNull(command, "command is null");
        variables = Map.copyOf(variables);
        secretVariables = Set.copyOf(secretVariables);
        requireNonNull(token, "token is null");
        requireNonNull(environment, "environment is null");
        staged = List.copyOf(staged);
        outputFolders = List.copyOf(outputFolders);
        requireNonNull(outputsUpload, "outputsUpload is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(cpu, "cpu is null");
        requireNonNull(memory, "memory is null");
    }

    /** The same workload with {@code newVariables} as its environment. */
    public RunSpec withVariables(Map<String, String> newVariables) {
        return new RunSpec(id, command, newVariables, secretVariables, token, environment, staged, outputFolders, outputsUpload,
                timeout, cpu, memory);
    }
}
