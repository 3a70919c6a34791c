package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.compute.WorkloadNeeds;
import dev.atelier.server.compute.Workloads;
import dev.atelier.server.environments.Environment;
import dev.atelier.server.environments.EnvironmentDocument;
import dev.atelier.server.environments.EnvironmentService;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import static java.util.Objects.requireNonNull;

/**
 * Checks a pipeline job document whole before anything is written (the document, each step's component, bindings and
 * types, computes, environments, snapshots, data inputs, output assets); then registers its inline environments and
 * answers the document to store, with every reference pinned (components, environments, data asset versions), so that
 * the server running it reads what was checked. Thread-safe (no state of its own).
 */
final class PipelineSubmission {
    private final JobService jobs;
    private final PipelinePlan.Lookups lookups;
    private final Workloads workloads;
    private final EnvironmentService environments;

    PipelineSubmission(JobService jobs, PipelinePlan.Lookups lookups, Workloads workloads, EnvironmentService environments) {
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.lookups = requireNonNull(lookups, "lookups is null");
        this.workloads = requireNonNull(workloads, "workloads is null");
        this.environments = requireNonNull(environments, "environments is null");
    }

    /** A checked pipeline: what to queue. */
    record Prepared(JobSpec.Pipeline spec, String name, String compute, ObjectNode document) {
    }

    /** An inline environment of a step: where it is in the document, and what it is. */
    private record InlineEnvironment(String step, List<String> path, EnvironmentDocument.Draft draft) {
    }

    /** What {@link #check} found: the document with placeholders for its inline environments, and its plan. */
    private record Checked(JobSpec.Pipeline spec, String name, ComputeTarget defaultCompute, ObjectNode document,
                           List<InlineEnvironment> inline, PipelinePlan plan, Map<String, Environment> anonymous) {
    }

    static boolean isPipeline(JsonNode document) {
        return "pipeline".equals(document.path("type").asText());
    }

    /** Checks the pipeline and registers its inline environments; answers what to queue. */
    Prepared prepare(String workspace, String user, JsonNode submitted, BiConsumer<String, String> checkNameFree) {
        Checked checked = check(workspace, user, submitted, checkNameFree);
        ObjectNode document = checked.document();
        // Valid: now the inline environments are registered, and every reference pinned.
        for (InlineEnvironment environment : checked.inline()) {
            Environment registered = environments.registerAnonymous(workspace, environment.draft(), user);
            ObjectNode holder = (ObjectNode) at(document, environment.path().subList(0, environment.path().size() - 1));
            holder.put(environment.path().getLast(), "azureml:" + registered.reference());
        }
        pin(document, checked.plan(), checked.anonymous().keySet());
        document.put("name", checked.name());
        return new Prepared(checked.spec(), checked.name(), checked.defaultCompute().name(), document);
    }

    /** Checks the whole pipeline as {@link #prepare} does, writing nothing. */
    Checked check(String workspace, String user, JsonNode submitted, BiConsumer<String, String> checkNameFree) {
        ObjectNode document = submitted.deepCopy();
        List<InlineEnvironment> inline = inlineEnvironments(document);
        JobSpec.Pipeline spec = (JobSpec.Pipeline) JobDocument.parse(document);
        String name = spec.name().orElseGet(JobNames::generate);
        checkNameFree.accept(workspace, name);
        ComputeTarget defaultCompute = jobs.compute(workspace, document.path("settings").has("default_compute")
                ? "settings.default_compute" : "compute", spec.compute());
        Map<String, Environment> anonymous = new LinkedHashMap<>();
        inline.forEach(environment -> anonymous.put(environment.step(), environments.anonymous(workspace, environment.draft(), user)));
        PipelinePlan plan = PipelinePlan.of(workspace, spec, lookups, anonymous);
        lookups.data().checkOutputPath(workspace, "settings.default_datastore", "datastore://" + spec.pipeline().settings().defaultDatastore()
                + "/pipelines");
        for (PipelinePlan.Planned step : plan.steps().values()) {
            String prefix = "jobs." + step.step().name() + ".";
            ComputeTarget compute = step.step().compute().isPresent() ? jobs.compute(workspace, prefix + "compute", step.compute())
                    : defaultCompute;
            List<String> assets = new ArrayList<>();
            step.step().outputs().forEach((output, settings) -> settings.pipelineOutput()
                    .filter(target -> spec.pipeline().outputs().get(target).asset().isPresent()).ifPresent(target -> assets.add(output)));
            if (step.step().sweep().isPresent() && !assets.isEmpty()) {
                throw AtelierException.invalidParameter("Invalid '" + prefix + "outputs." + assets.getFirst() + "': a sweep step's "
                        + "output cannot be a pipeline output registered as a data asset (each trial would register one); bind it to "
                        + "a command step that registers it");
            }
            workloads.check(compute, new WorkloadNeeds(step.environment(), assets));
            step.component().codeSnapshot().ifPresent(id -> jobs.snapshot(workspace, prefix + "code", id));
            step.step().inputs().forEach((input, value) -> {
                if (value instanceof PipelineSpec.StepInput.Data data && data.input() instanceof JobInput.Data snapshot) {
                    jobs.snapshot(workspace, prefix + "inputs." + input + ".path", snapshot.snapshotId());
                }
            });
        }
        spec.pipeline().inputs().forEach((input, value) -> {
            if (value instanceof JobInput.Data snapshot) {
                jobs.snapshot(workspace, "inputs." + input + ".path", snapshot.snapshotId());
            }
        });
        spec.pipeline().outputs().forEach((output, value) -> value.asset().ifPresent(asset ->
                lookups.data().checkOutput(workspace, "outputs." + output + ".name", asset)));
        return new Checked(spec, name, defaultCompute, document, inline, plan, anonymous);
    }

    /** Finds the inline environment mappings of steps and inline components, and puts a placeholder reference in their place. */
    private static List<InlineEnvironment> inlineEnvironments(ObjectNode document) {
        List<InlineEnvironment> found = new ArrayList<>();
        JsonNode steps = document.path("jobs");
        steps.properties().forEach(entry -> {
            JsonNode step = entry.getValue();
            if (step.path("environment").isObject()) {
                found.add(new InlineEnvironment(entry.getKey(), List.of("jobs", entry.getKey(), "environment"),
                        EnvironmentDocument.parseInline(step.get("environment"), "jobs." + entry.getKey() + ".environment.")));
                ((ObjectNode) step).put("environment", "azureml:" + EnvironmentService.ANONYMOUS);
            } else if (step.path(componentField(step)).path("environment").isObject()) {
                String field = componentField(step);
                JsonNode component = step.get(field);
                found.add(new InlineEnvironment(entry.getKey(), List.of("jobs", entry.getKey(), field, "environment"),
                        EnvironmentDocument.parseInline(component.get("environment"), "jobs." + entry.getKey() + "." + field
                                + ".environment.")));
                ((ObjectNode) component).put("environment", "azureml:" + EnvironmentService.ANONYMOUS);
            }
        });
        return found;
    }

    /** Where a step names its component: {@code trial} in a sweep step, else {@code component}. */
    private static String componentField(JsonNode step) {
        return "sweep".equals(step.path("type").asText()) ? "trial" : "component";
    }

    private static JsonNode at(JsonNode node, List<String> path) {
        JsonNode current = node;
        for (String field : path) {
            current = current.get(field);
        }
        return current;
    }

    /** Pins registered components, environment references and data asset versions to what was checked. */
    private static void pin(ObjectNode document, PipelinePlan plan, java.util.Set<String> inlineEnvironmentSteps) {
        plan.pipelineData().forEach((input, resolved) -> ((ObjectNode) document.get("inputs").get(input)).put("path", resolved.path()));
        plan.steps().forEach((name, step) -> {
            ObjectNode node = (ObjectNode) document.get("jobs").get(name);
            step.registered().ifPresent(reference -> node.put(componentField(node), "azureml:" + reference));
            step.stepData().forEach((input, resolved) -> ((ObjectNode) node.get("inputs").get(input)).put("path", resolved.path()));
            if (step.registered().isEmpty() && !inlineEnvironmentSteps.contains(name) && step.environment().isPresent()) {
                ObjectNode holder = node.path(componentField(node)).isObject() ? (ObjectNode) node.get(componentField(node)) : node;
                holder.put("environment", "azureml:" + step.environment().get().reference());
            }
        });
    }
}
