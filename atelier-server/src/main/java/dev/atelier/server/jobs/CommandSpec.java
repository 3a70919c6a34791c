package dev.atelier.server.jobs;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * What a command job (or a sweep's trial) runs, validated.
 *
 * @param codeSnapshot         id of the code snapshot the working directory starts from
 * @param environment          reference of the environment ({@code name[:version]})
 * @param outputs              output name to type ({@code uri_folder} or {@code uri_file})
 * @param outputAssets         outputs registered as data asset versions when the job completes ({@code outputs.<x>.name})
 * @param outputPaths          outputs copied to a datastore URI when the job completes ({@code outputs.<x>.path})
 * @param secrets              environment variable name to secret name; values are resolved when the job starts
 * @param timeoutSeconds       {@code limits.timeout}
 */
public record CommandSpec(String command, Optional<String> codeSnapshot, Optional<String> environment,
                          Map<String, String> environmentVariables, Map<String, JobInput> inputs, Map<String, String> outputs,
                          Map<String, JobData.OutputAsset> outputAssets, Map<String, String> outputPaths, Map<String, String> secrets, Optional<Long> timeoutSeconds,
                          Optional<String> cpu, Optional<String> memory) {
    public CommandSpec {
        requireNonNull(command, "command is null");
        requireNonNull(codeSnapshot, "codeSnapshot is null");
        requireNonNull(environment, "environment is null");
        requireNonNull(timeoutSeconds, "timeoutSeconds is null");
        requireNonNull(cpu, "cpu is null");
        requireNonNull(memory, "memory is null");
        environmentVariables = Map.copyOf(environmentVariables);
        inputs = java.util.Collections.unmodifiableMap(new TreeMap<>(inputs));
        outputs = java.util.Collections.unmodifiableMap(new TreeMap<>(outputs));
        outputAssets = java.util.Collections.unmodifiableMap(new TreeMap<>(outputAssets));
        outputPaths = java.util.Collections.unmodifiableMap(new TreeMap<>(outputPaths));
        secrets = Map.copyOf(secrets);
    }

    /** The same command with {@code command} replaced (a sweep trial binds its search space) and another timeout. */
    CommandSpec forTrial(String boundCommand, Optional<Long> trialTimeout) {
        return new CommandSpec(boundCommand, codeSnapshot, environment, environmentVariables, inputs, outputs, outputAssets, outputPaths, secrets,
                trialTimeout.or(() -> timeoutSeconds), cpu, memory);
    }
}
