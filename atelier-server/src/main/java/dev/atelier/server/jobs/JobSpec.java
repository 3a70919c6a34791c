package dev.atelier.server.jobs;

import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A validated job document (YAML close to Azure ML CLI v2), one record per kind of job. Every kind has the common
 * header fields; the kinds that run one command ({@link WithCommand}: a command job, a sweep's trial template) have a
 * {@link CommandSpec}, a pipeline has its steps. New kinds join as new records, and every switch over this
 * type must then handle them.
 */
public sealed interface JobSpec {
    Optional<String> name();

    Optional<String> displayName();

    String experimentName();

    String description();

    Map<String, String> tags();

    /** The target the job runs on; a pipeline's {@code settings.default_compute}, which its steps take unless they name one. */
    String compute();

    /** The stored {@code type} of this kind. */
    default JobType type() {
        return switch (this) {
            case Command command -> JobType.COMMAND;
            case Sweep sweep -> JobType.SWEEP;
            case Pipeline pipeline -> JobType.PIPELINE;
            case BatchScoring batch -> JobType.BATCH_SCORING;
            case AutoMl automl -> JobType.AUTOML;
        };
    }

    /** The kinds that run one command (a sweep: each trial). */
    sealed interface WithCommand extends JobSpec {
        CommandSpec command();
    }

    /** {@code type: command}: one command run on one compute target. */
    record Command(Optional<String> name, Optional<String> displayName, String experimentName, String description,
                   Map<String, String> tags, String compute, CommandSpec command) implements WithCommand {
        public Command {
            checkHeader(name, displayName, experimentName, description, compute, command);
            tags = Map.copyOf(tags);
        }
    }

    /** {@code type: sweep}: trials of {@code command} over {@code sweep}'s search space. */
    record Sweep(Optional<String> name, Optional<String> displayName, String experimentName, String description,
                 Map<String, String> tags, String compute, CommandSpec command, SweepSpec sweep) implements WithCommand {
        public Sweep {
            checkHeader(name, displayName, experimentName, description, compute, command);
            tags = Map.copyOf(tags);
            requireNonNull(sweep, "sweep is null");
        }
    }

    /** {@code type: pipeline}: steps bound to each other's outputs (docs/pipelines.md). */
    record Pipeline(Optional<String> name, Optional<String> displayName, String experimentName, String description,
                    Map<String, String> tags, String compute, PipelineSpec pipeline) implements JobSpec {
        public Pipeline {
            requireNonNull(name, "name is null");
            requireNonNull(displayName, "displayName is null");
            requireNonNull(experimentName, "experimentName is null");
            requireNonNull(description, "description is null");
            requireNonNull(compute, "compute is null");
            tags = Map.copyOf(tags);
            requireNonNull(pipeline, "pipeline is null");
        }
    }

    /**
     * {@code type: automl} (docs/automl.md): {@code automl}'s search, run as one command workload ({@code command}: the
     * engine's main class in the built-in {@code atelier} environment, the job's tables as its inputs).
     */
    record AutoMl(Optional<String> name, Optional<String> displayName, String experimentName, String description,
                  Map<String, String> tags, String compute, CommandSpec command, dev.atelier.server.automl.AutoMlSettings automl)
            implements WithCommand {
        public AutoMl {
            checkHeader(name, displayName, experimentName, description, compute, command);
            tags = Map.copyOf(tags);
            requireNonNull(automl, "automl is null");
        }
    }

    /**
     * A batch endpoint's scoring job (docs/batch-endpoints.md): queued by the batch domain through
     * {@link JobService#submitBatchScoring}, never from a job document; its stored document is the batch domain's, which
     * runs it through its {@link JobKind}.
     */
    record BatchScoring(Optional<String> name, Optional<String> displayName, String experimentName, String description,
                        Map<String, String> tags, String compute) implements JobSpec {
        public BatchScoring {
            requireNonNull(name, "name is null");
            requireNonNull(displayName, "displayName is null");
            requireNonNull(experimentName, "experimentName is null");
            requireNonNull(description, "description is null");
            requireNonNull(compute, "compute is null");
            tags = Map.copyOf(tags);
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
