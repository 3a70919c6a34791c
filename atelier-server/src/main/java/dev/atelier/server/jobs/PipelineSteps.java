package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.http.Json;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The steps of pipeline jobs: their stored state ({@link PipelineStepStore}) and how the API shows them. Thread-safe.
 */
final class PipelineSteps {
    private final PipelineStepStore store;
    private final PipelinePlan.Lookups lookups;

    PipelineSteps(PipelineStepStore store, PipelinePlan.Lookups lookups) {
        this.store = requireNonNull(store, "store is null");
        this.lookups = requireNonNull(lookups, "lookups is null");
    }

    PipelineStepStore store() {
        return store;
    }

    PipelinePlan.Lookups lookups() {
        return lookups;
    }

    /**
     * The pipeline job with {@code steps}: each step's {@code name}, {@code status}, {@code job_name}, {@code run_id},
     * {@code reused_from}, {@code outputs} (output name to datastore URI), {@code depends_on} and {@code component}
     * ({@code name:version} of a registered one, else null), in document order.
     */
    ObjectNode describe(Job pipeline) {
        JobSpec.Pipeline spec = (JobSpec.Pipeline) JobDocument.parse(pipeline.spec());
        Map<String, PipelineStep> rows = store.list(pipeline.workspace(), pipeline.name()).stream()
                .collect(Collectors.toMap(PipelineStep::step, Function.identity()));
        ObjectNode described = Json.mapper().valueToTree(pipeline);
        ArrayNode steps = described.putArray("steps");
        spec.pipeline().steps().values().forEach(step -> {
            PipelineStep row = rows.get(step.name());
            ObjectNode node = steps.addObject();
            node.put("name", step.name());
            // A pipeline canceled while queued never had steps: they are Canceled with it.
            StepStatus unstarted = pipeline.status().isTerminal() ? StepStatus.CANCELED : StepStatus.QUEUED;
            node.put("status", row == null ? unstarted.wireName() : row.status().wireName());
            node.put("job_name", row == null ? null : row.jobName().orElse(null));
            node.put("run_id", row == null ? null : row.runId().orElse(null));
            node.put("reused_from", row == null ? null : row.reusedFrom().orElse(null));
            ObjectNode outputs = node.putObject("outputs");
            if (row != null) {
                row.outputs().forEach(outputs::put);
            }
            ArrayNode dependsOn = node.putArray("depends_on");
            step.upstream().forEach(dependsOn::add);
            node.put("component", step.component() instanceof PipelineSpec.StepComponent.Registered registered
                    ? registered.reference().replaceFirst("^azureml:", "") : null);
        });
        return described;
    }
}
