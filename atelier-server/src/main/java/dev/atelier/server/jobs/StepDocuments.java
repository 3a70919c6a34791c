package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.components.IoType;
import dev.atelier.server.http.Json;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The command job document of a pipeline step that runs: the component's command (its optional parts decided), its code
 * snapshot and pinned environment, literal inputs, data inputs (an upstream step's output as its datastore URI, in
 * download mode), and each output with its {@code path} under {@code pipelines/<pipeline>/<step>/<output>} on the
 * pipeline's datastore. Stateless.
 */
final class StepDocuments {
    private static final String SCHEME = "datastore://";

    private StepDocuments() {
    }

    /** The job name of a step: {@code <pipeline>-<step>} (step names have no {@code -}, so no two steps share one). */
    static String jobName(String pipeline, String step) {
        return pipeline + "-" + step;
    }

    /** Where each output of the step is written. */
    static Map<String, String> outputUris(String pipeline, PipelineSpec.Settings settings, PipelinePlan.Planned step) {
        Map<String, String> uris = new LinkedHashMap<>();
        step.component().outputs().keySet().forEach(output -> uris.put(output, SCHEME + settings.defaultDatastore() + "/pipelines/"
                + pipeline + "/" + step.step().name() + "/" + output));
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
        document.put("type", "command").put("name", name).put("display_name", step.name())
                .put("experiment_name", plan.pipeline().experimentName()).put("compute", planned.compute())
                .put("command", planned.command());
        planned.component().codeSnapshot().ifPresent(id -> document.put("code", "snapshot:" + id));
        planned.environment().ifPresent(environment -> document.put("environment", "azureml:" + environment.reference()));
        ObjectNode inputs = document.putObject("inputs");
        step.inputs().forEach((input, value) -> {
            switch (value) {
                case PipelineSpec.StepInput.Literal literal -> inputs.set(input, literal.node());
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
        outputUris(pipeline.name(), spec.settings(), planned).forEach((output, uri) -> {
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
        step.timeoutSeconds().ifPresent(timeout -> document.putObject("limits").put("timeout", timeout));
        return document;
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
