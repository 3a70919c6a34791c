package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.components.ComponentSpec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * What a pipeline job holds (docs/pipelines.md): its own inputs and outputs, its settings, and its steps in document
 * order. Only the document's form is checked here (binding syntax, steps named in bindings, no cycle); components and
 * types are checked against the workspace when it is submitted ({@link PipelinePlan}).
 *
 * @param inputs  pipeline inputs: literals or data, as a command job's inputs
 * @param outputs pipeline outputs, each bound by one step output ({@code ${{parent.outputs.<o>}}})
 */
public record PipelineSpec(Map<String, JobInput> inputs, Map<String, Output> outputs, Settings settings, Map<String, Step> steps) {
    public PipelineSpec {
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        requireNonNull(settings, "settings is null");
        steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
    }

    /**
     * {@code settings}.
     *
     * @param defaultDatastore where step outputs are written ({@code pipelines/<pipeline>/<step>/<output>/})
     */
    public record Settings(String defaultDatastore, boolean continueOnStepFailure, boolean forceRerun) {
        public Settings {
            requireNonNull(defaultDatastore, "defaultDatastore is null");
        }
    }

    /** A pipeline output: {@code uri_folder} or {@code uri_file}, registered as a data asset version when it names one. */
    public record Output(String type, Optional<JobData.OutputAsset> asset) {
        public Output {
            requireNonNull(type, "type is null");
            requireNonNull(asset, "asset is null");
        }
    }

    /**
     * One step: a component with its inputs and outputs bound.
     *
     * @param compute empty to take the pipeline's default compute
     * @param sweep   present for a {@code type: sweep} step, whose component is its trial
     */
    public record Step(String name, StepComponent component, Map<String, StepInput> inputs, Map<String, StepOutput> outputs,
                       Optional<String> compute, Optional<Long> timeoutSeconds, Map<String, String> environmentVariables,
                       Optional<StepSweep> sweep) {
        public Step {
            requireNonNull(sweep, "sweep is null");
            requireNonNull(name, "name is null");
            requireNonNull(component, "component is null");
            inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
            outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
            requireNonNull(compute, "compute is null");
            requireNonNull(timeoutSeconds, "timeoutSeconds is null");
            environmentVariables = Map.copyOf(environmentVariables);
        }

        /** The steps whose outputs this step reads, sorted. */
        public Set<String> upstream() {
            Set<String> upstream = new TreeSet<>();
            inputs.values().forEach(input -> {
                if (input instanceof StepInput.Upstream bound) {
                    upstream.add(bound.step());
                }
            });
            return upstream;
        }
    }

    /**
     * The search of a {@code type: sweep} step.
     *
     * @param fields the step's {@code sampling_algorithm}, {@code search_space}, {@code objective}, {@code limits} and
     *               {@code early_termination}, copied into the sweep job the step queues
     */
    public record StepSweep(SweepSpec search, JsonNode fields) {
        public StepSweep {
            requireNonNull(search, "search is null");
            requireNonNull(fields, "fields is null");
        }
    }

    /** What a step runs. */
    public sealed interface StepComponent {
        /** A registered component version: {@code azureml:<name>:<version>} (pinned at submission) or {@code <name>@latest}. */
        record Registered(String reference) implements StepComponent {
            public Registered {
                requireNonNull(reference, "reference is null");
            }
        }

        /**
         * A component written in the pipeline (an inline {@code component:} mapping, or an inline command step, which is an
         * anonymous deterministic component whose input types are those of the values bound to it).
         *
         * @param identity the canonical JSON the reuse key hashes
         * @param command  whether it is an inline command step (its input types come from the values bound)
         */
        record Inline(ComponentSpec spec, JsonNode identity, boolean command) implements StepComponent {
            public Inline {
                requireNonNull(spec, "spec is null");
                requireNonNull(identity, "identity is null");
            }
        }
    }

    /** The value of a step input. */
    public sealed interface StepInput {
        /** A number, string or boolean written in the step. */
        record Literal(String value, JsonNode node) implements StepInput {
            public Literal {
                requireNonNull(value, "value is null");
                requireNonNull(node, "node is null");
            }
        }

        /** {@code ${{parent.inputs.<name>}}}. */
        record Parent(String input) implements StepInput {
            public Parent {
                requireNonNull(input, "input is null");
            }
        }

        /** {@code ${{parent.jobs.<step>.outputs.<output>}}}. */
        record Upstream(String step, String output) implements StepInput {
            public Upstream {
                requireNonNull(step, "step is null");
                requireNonNull(output, "output is null");
            }
        }

        /** {@code ${{search_space.<name>}}} in a sweep step: each trial's sampled value of that dimension. */
        record SearchSpace(String dimension) implements StepInput {
            public SearchSpace {
                requireNonNull(dimension, "dimension is null");
            }
        }

        /** Data given in the step itself ({@code {type, path, mode}}), as a command job's data input. */
        record Data(JobInput input) implements StepInput {
            public Data {
                requireNonNull(input, "input is null");
            }
        }
    }

    /**
     * A step output's settings.
     *
     * @param type           the declared type when the step gives one (checked against the component's)
     * @param pipelineOutput the pipeline output it is ({@code ${{parent.outputs.<o>}}})
     */
    public record StepOutput(Optional<String> type, Optional<String> pipelineOutput) {
        public StepOutput {
            requireNonNull(type, "type is null");
            requireNonNull(pipelineOutput, "pipelineOutput is null");
        }
    }
}
