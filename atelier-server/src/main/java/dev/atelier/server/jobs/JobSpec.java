package dev.atelier.server.jobs;

import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A validated job document (YAML close to Azure ML CLI v2), one record per kind of job. Every kind has the common
 * header fields and a {@link CommandSpec}: for a command job it is the job itself; for a sweep, the trial template.
 * New kinds (pipeline, automl) join as new records, and every switch over this type must then handle them.
 */
public sealed interface JobSpec {
    Optional<String> name();

    Optional<String> displayName();

    String experimentName();

    String description();

    Map<String, String> tags();

    String compute();

    CommandSpec command();

    /** The stored {@code type} of this kind. */
    default JobType type() {
        return switch (this) {
            case Command command -> JobType.COMMAND;
            case Sweep sweep -> JobType.SWEEP;
        };
    }

    /** {@code type: command}: one command run on one compute target. */
    record Command(Optional<String> name, Optional<String> displayName, String experimentName, String description,
                   Map<String, String> tags, String compute, CommandSpec command) implements JobSpec {
        public Command {
            checkHeader(name, displayName, experimentName, description, compute, command);
            tags = Map.copyOf(tags);
        }
    }

    /** {@code type: sweep}: trials of {@code command} over {@code sweep}'s search space. */
    record Sweep(Optional<String> name, Optional<String> displayName, String experimentName, String description,
                 Map<String, String> tags, String compute, CommandSpec command, SweepSpec sweep) implements JobSpec {
        public Sweep {
            checkHeader(name, displayName, experimentName, description, compute, command);
            tags = Map.copyOf(tags);
            requireNonNull(sweep, "sweep is null");
        }
    }

    private static void checkHeader(Optional<String> name, Optional<String> displayName, String experimentName, String description,
                                    String compute, CommandSpec command) {
        requireNonNull(name, "name is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(experimentName, "experimentName is null");
        requireNonNull(description, "description is null");
        requireNonNull(compute, "compute is null");
        requireNonNull(command, "command is null");
    }
}
