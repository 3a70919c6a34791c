package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.components.IoType;
import dev.atelier.server.http.Json;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * The command job document of a pipeline step that runs: the component's command (its optional parts decided), its code
 * snapshot and pinned environment, literal inputs, data inputs (an upstream step's output as its datastore URI, in
 * download mode), and each output with its {@code path} under {@code pipelines/<pipeline>/<step>/<output>} on the
 * pipeline's datastore. A sweep step's is a sweep job: the same command as its {@code trial}, its search fields, and
 * output paths under {@code pipelines/<pipeline>/<step>/<trial>/<output>}. Stateless.
 */
final class StepDocuments {
    private static final String SCHEME = "datastore://";
    /** In a sweep's output path, each trial's name (Azure ML's {@code ${{name}}} path expression). */
    static final String TRIAL_NAME = "${{name}}";

    private StepDocuments() {
    }

    /** The job name of a step: {@code <pipeline>-<step>} (step names have no {@code -}, so no two steps share one). */
    static String jobName(String pipeline, String step) {
        return pipeline + "-" + step;
    }

    /** Where each output of the step is written. */
    static Map<String, String> outputUris(String pipeline, PipelineSpec.Settings settings, PipelinePlan.Planned step) {
        return outputUris(pipeline, settings, step, "");
    }

    /**
     * Where each output of a sweep step's trial is written: under a folder named after the trial. With
     * {@link #TRIAL_NAME} the sweep's output paths, which each trial binds to its own name.
     */
    static Map<String, String> trialOutputUris(String pipeline, PipelineSpec.Settings settings, PipelinePlan.Planned step, String trial) {
        return outputUris(pipeline, settings, step, trial + "/");
    }

    private static Map<String, String> outputUris(String pipeline, PipelineSpec.Settings settings, PipelinePlan.Planned step,
                                                  String folder) {
        Map<String, String> uris = new LinkedHashMap<>();
        step.component().outputs().keySet().forEach(output -> uris.put(output, SCHEME + settings.defaultDatastore() + "/pipelines/"
                + pipeline + "/" + step.step().name() + "/" + folder + output));
        return uris;
    }

    /**
     * @param upstreamOutputs the output URIs of every step that ended, by step
     */
    static ObjectNode document(Job pipeline, PipelinePlan plan, PipelinePlan.Planned planned, Map<String, Map<String, String>> upstreamOutputs) {
        PipelineSpec spec = plan.pipeline().pipeline();
        PipelineSpec.Step step = planned.step();
        ObjectNode document = Json.mapper().createObjectNode();
        String name = jobName(pipeline.name(), step.name());
        document.put("type", step.sweep().isPresent() ? "sweep" : "command").put("name", name).put("display_name", step.name())
                .put("experiment_name", plan.pipeline().experimentName()).put("compute", planned.compute());
        // A sweep step's trial holds the command, code and environment; its search fields are the step's.
        ObjectNode command = step.sweep().isPresent() ? document.putObject("trial") : document;
        command.put("command", step.sweep().isPresent() ? sampled(planned.command(), step) : planned.command());
        planned.component().codeSnapshot().ifPresent(id -> command.put("code", "snapshot:" + id));
        planned.environment().ifPresent(environment -> command.put("environment", "azureml:" + environment.reference()));
        step.sweep().ifPresent(sweep -> {
            sweep.fields().properties().forEach(field -> document.set(field.getKey(), field.getValue().deepCopy()));
            // Pinned: a resumed sweep samples the same trials.
            sweep.search().seed().ifPresent(seed -> document.putObject("sampling_algorithm").put("type", "random").put("seed", seed));
        });
        ObjectNode inputs = document.putObject("inputs");
        step.inputs().forEach((input, value) -> {
            switch (value) {
                case PipelineSpec.StepInput.Literal literal -> inputs.set(input, literal.node());
                case PipelineSpec.StepInput.SearchSpace sampled -> { }
                case PipelineSpec.StepInput.Parent parent -> data(inputs, input, spec.inputs().get(parent.input()),
                        plan.pipelineData().get(parent.input()));
                case PipelineSpec.StepInput.Upstream bound -> {
                    IoType type = planned.inputTypes().get(input);
                    inputs.putObject(input).put("type", type == IoType.URI_FILE ? "uri_file" : "uri_folder")
                            .put("path", upstreamOutputs.get(bound.step()).get(bound.output())).put("mode", "download");
                }
                case PipelineSpec.StepInput.Data data -> data(inputs, input, data.input(), planned.stepData().get(input));
            }
        });
        planned.component().inputs().forEach((input, declared) -> {
            if (!step.inputs().containsKey(input) && declared.defaultValue().isPresent()) {
                inputs.put(input, declared.defaultValue().get());
            }
        });
        ObjectNode outputs = document.putObject("outputs");
        (step.sweep().isPresent() ? trialOutputUris(pipeline.name(), spec.settings(), planned, TRIAL_NAME)
                : outputUris(pipeline.name(), spec.settings(), planned)).forEach((output, uri) -> {
            ObjectNode node = outputs.putObject(output);
            node.put("type", planned.component().outputs().get(output).type() == IoType.URI_FILE ? "uri_file" : "uri_folder");
            node.put("path", uri);
            Optional<JobData.OutputAsset> asset = Optional.ofNullable(step.outputs().get(output))
                    .flatMap(PipelineSpec.StepOutput::pipelineOutput).flatMap(target -> spec.outputs().get(target).asset());
            asset.ifPresent(a -> {
                node.put("name", a.name());
                a.version().ifPresent(version -> node.put("version", Integer.toString(version)));
            });
        });
        if (!step.environmentVariables().isEmpty()) {
            ObjectNode variables = document.putObject("environment_variables");
            step.environmentVariables().forEach(variables::put);
        }
        if (step.sweep().isEmpty()) {
            step.timeoutSeconds().ifPresent(timeout -> document.putObject("limits").put("timeout", timeout));
        }
        return document;
    }

    /** A sweep step's command: each input bound to {@code ${{search_space.<d>}}} becomes that reference, which trials bind. */
    private static String sampled(String command, PipelineSpec.Step step) {
        String bound = command;
        for (Map.Entry<String, PipelineSpec.StepInput> input : step.inputs().entrySet()) {
            if (input.getValue() instanceof PipelineSpec.StepInput.SearchSpace sampled) {
                bound = bound.replaceAll("\\$\\{\\{\\s*inputs\\." + input.getKey() + "\\s*}}",
                        Matcher.quoteReplacement("${{search_space." + sampled.dimension() + "}}"));
            }
        }
        return bound;
    }

    private static void data(ObjectNode inputs, String input, JobInput value, JobData.Resolved resolved) {
        switch (value) {
            case JobInput.Literal literal -> inputs.put(input, literal.value());
            case JobInput.Data data -> inputs.putObject(input).put("type", data.type())
                    .put("path", "snapshot:" + data.snapshotId() + data.file().map(file -> "/" + file).orElse(""));
            case JobInput.Stored stored -> inputs.putObject(input).put("type", resolved.type()).put("path", resolved.path())
                    .put("mode", stored.mode().wireName());
        }
    }
}
