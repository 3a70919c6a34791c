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
 * @param inServer        what it asks for, when it runs inside the server's process instead of as a workload of its own
 *                        (a model loaded in the server's JVM); only a target on the server's host takes that
 */
public record WorkloadNeeds(Optional<Environment> environment, List<String> returnedOutputs, Optional<String> inServer) {
    public WorkloadNeeds {
        requireNonNull(environment, "environment is null");
        returnedOutputs = List.copyOf(returnedOutputs);
        requireNonNull(inServer, "inServer is null");
    }

    /** A workload of its own. */
    public WorkloadNeeds(Optional<Environment> environment, List<String> returnedOutputs) {
        this(environment, returnedOutputs, Optional.empty());
    }

    /** A service workload in {@code environment}, or, when {@code inServer} says what, work inside the server's process. */
    public static WorkloadNeeds service(Optional<Environment> environment, Optional<String> inServer) {
        return new WorkloadNeeds(environment, List.of(), inServer);
    }
}
