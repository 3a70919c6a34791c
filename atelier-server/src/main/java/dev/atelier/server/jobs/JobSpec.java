package dev.atelier.server.jobs;

import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A validated job document (YAML close to Azure ML CLI v2). For a command job {@code command} is
 * the job itself; for a sweep it is the trial template and {@code sweep} holds the search.
 */
public record JobSpec(JobType type, Optional<String> name, Optional<String> displayName, String experimentName, String description,
                      Map<String, String> tags, String compute, CommandSpec command, Optional<SweepSpec> sweep) {
    public JobSpec {
        requireNonNull(type, "type is null");
        requireNonNull(name, "name is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(experimentName, "experimentName is null");
        requireNonNull(description, "description is null");
        requireNonNull(compute, "compute is null");
        requireNonNull(command, "command is null");
        requireNonNull(sweep, "sweep is null");
        tags = Map.copyOf(tags);
        if ((type == JobType.SWEEP) != sweep.isPresent()) {
            throw new IllegalArgumentException("a sweep spec must be given exactly for a sweep job");
        }
    }
}
