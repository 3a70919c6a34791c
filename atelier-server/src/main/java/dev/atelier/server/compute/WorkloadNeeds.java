package dev.atelier.server.compute;

import dev.atelier.server.environments.Environment;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a workload asks of its target, checked when it is submitted ({@link ComputeBackend#check}).
 *
 * @param environment     what it runs in, if anything
 * @param returnedOutputs outputs the server must get back as files after the end (to register them)
 */
public record WorkloadNeeds(Optional<Environment> environment, List<String> returnedOutputs) {
    public WorkloadNeeds {
        requireNonNull(environment, "environment is null");
        returnedOutputs = List.copyOf(returnedOutputs);
    }
}
