package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.components.ComponentDocument;
import dev.atelier.server.components.ComponentOutput;
import dev.atelier.server.components.ComponentSpec;
import dev.atelier.server.components.IoType;
import dev.atelier.server.data.Datastore;
import dev.atelier.server.http.Json;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code type: pipeline} job document into a {@link JobSpec.Pipeline}, following Azure ML CLI v2's pipeline job
 * schema (https://learn.microsoft.com/azure/machine-learning/reference-yaml-job-pipeline): {@code inputs}, {@code outputs},
 * {@code settings}, and {@code jobs}, whose steps bind {@code ${{parent.inputs.x}}}, {@code ${{parent.jobs.<step>.outputs.<o>}}}
 * and {@code ${{parent.outputs.<o>}}}; a {@code type: sweep} step's trial inputs may bind {@code ${{search_space.<d>}}}. Refuses a binding to an unknown step or pipeline input/output, and a cycle;
 * whether components have the inputs and outputs bound is checked against the workspace ({@link PipelinePlan}). Stateless.
 */
final class PipelineDocument {
    private static final Set<String> FIELDS = Set.of("$schema", "type", "name", "display_name", "experiment_name", "description",
            "tags", "compute", "settings", "inputs", "outputs", "jobs");
    private static final Set<String> COMPONENT_STEP_FIELDS = Set.of("type", "component", "inputs", "outputs", "compute", "limits",
            "environment_variables", "display_name", "description");
    private static final Set<String> COMMAND_STEP_FIELDS = Set.of("type", "command", "code", "environment", "inputs", "outputs",
            "compute", "limits", "environment_variables", "display_name", "description");
    private static final Set<String> SWEEP_STEP_FIELDS = Set.of("type", "trial", "inputs", "outputs", "compute", "sampling_algorithm",
            "search_space", "objective", "limits", "early_termination", "display_name", "description");
    private static final Set<String> SEARCH_FIELDS = Set.of("sampling_algorithm", "search_space", "objective", "limits",
            "early_termination");
    private static final Pattern SEARCH_SPACE_BINDING = Pattern.compile("\\$\\{\\{\\s*search_space\\.([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
    private static final Pattern BINDING = Pattern.compile(
            "\\$\\{\\{\\s*parent\\.(?:inputs\\.([A-Za-z_][A-Za-z0-9_]*)|jobs\\.([A-Za-z_][A-Za-z0-9_]*)\\.outputs\\.([A-Za-z_][A-Za-z0-9_]*)"
                    + "|outputs\\.([A-Za-z_][A-Za-z0-9_]*))\\s*}}");
    static final int MAX_STEPS = 500;

    private PipelineDocument() {
    }

    static JobSpec.Pipeline parse(DocumentFields root) {
        root.onlyKnown(FIELDS);
        Map<String, JobInput> inputs = JobDocument.inputs(root);
        Map<String, JobData.OutputAsset> assets = new LinkedHashMap<>();
        Map<String, String> paths = new LinkedHashMap<>();
        Map<String, String> outputTypes = JobDocument.outputs(root, assets, paths);
        if (!paths.isEmpty()) {
            throw AtelierException.invalidParameter("Invalid 'outputs." + paths.keySet().iterator().next() + ".path': a pipeline "
                    + "output is written where its step writes it (settings.default_datastore)");
        }
        Map<String, PipelineSpec.Output> outputs = new LinkedHashMap<>();
        outputTypes.forEach((name, type) -> outputs.put(name, new PipelineSpec.Output(type, Optional.ofNullable(assets.get(name)))));
        Optional<DocumentFields> settings = root.object("settings");
        settings.ifPresent(s -> s.onlyKnown(Set.of("default_compute", "default_datastore", "continue_on_step_failure", "force_rerun")));
        String compute = settings.flatMap(s -> s.text("default_compute")).filter(c -> !c.isBlank())
                .map(c -> c.startsWith("azureml:") ? c.substring("azureml:".length()) : c).orElseGet(() -> JobDocument.compute(root));
        String datastore = settings.flatMap(s -> s.text("default_datastore")).filter(d -> !d.isBlank())
                .map(d -> d.startsWith("azureml:") ? d.substring("azureml:".length()) : d).orElse(Datastore.DEFAULT);
        PipelineSpec.Settings parsedSettings = new PipelineSpec.Settings(datastore,
                settings.map(s -> flag(s, "continue_on_step_failure")).orElse(false), settings.map(s -> flag(s, "force_rerun")).orElse(false));
        JsonNode jobs = root.get("jobs");
        if (jobs == null || !jobs.isObject() || jobs.isEmpty()) {
            throw AtelierException.invalidParameter("Missing value for required field 'jobs': a pipeline needs at least one step");
        }
        if (jobs.size() > MAX_STEPS) {
            throw AtelierException.invalidParameter("Invalid 'jobs': a pipeline has at most " + MAX_STEPS + " steps");
        }
        Map<String, PipelineSpec.Step> steps = new LinkedHashMap<>();
        jobs.properties().forEach(entry -> {
            String name = JobDocument.checkName("jobs." + entry.getKey(), entry.getKey());
            steps.put(name, step(name, DocumentFields.of(entry.getValue(), "jobs." + name)));
        });
        checkBindings(inputs.keySet(), outputs.keySet(), steps);
        checkAcyclic(steps);
        return new JobSpec.Pipeline(JobDocument.name(root), root.text("display_name"),
                root.text("experiment_name").filter(n -> !n.isBlank()).orElse(JobDocument.DEFAULT_EXPERIMENT),
                root.text("description").orElse(""), root.textMap("tags"), compute,
                new PipelineSpec(inputs, outputs, parsedSettings, steps));
    }

    private static boolean flag(DocumentFields fields, String field) {
        JsonNode value = fields.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw fields.invalid(field, "true or false");
        }
        return value.asBoolean();
    }

    private static PipelineSpec.Step step(String name, DocumentFields step) {
        String type = step.text("type").orElse("command");
        if (type.equals("sweep")) {
            return sweepStep(name, step);
        }
        if (!type.equals("command")) {
            throw AtelierException.invalidParameter("Invalid value '" + type + "' for '" + step.pathOf("type") + "': expected command "
                    + "or sweep");
        }
        PipelineSpec.StepComponent component;
        if (step.has("component")) {
            step.onlyKnown(COMPONENT_STEP_FIELDS);
            component = component(step, "component");
        } else {
            step.onlyKnown(COMMAND_STEP_FIELDS);
            component = inlineCommand(name, step);
        }
        Map<String, PipelineSpec.StepInput> inputs = inputs(step, false);
        Map<String, PipelineSpec.StepOutput> outputs = outputs(step);
        Optional<Long> timeout = step.object("limits").flatMap(limits -> {
            limits.onlyKnown(Set.of("timeout"));
            return limits.positiveLong("timeout");
        });
        return new PipelineSpec.Step(name, component, inputs, outputs, compute(step), timeout, step.textMap("environment_variables"),
                Optional.empty());
    }

    /**
     * A {@code type: sweep} step (Azure ML's sweep inside a pipeline): its {@code trial} is a component (a reference or a
     * mapping), whose inputs may be bound to {@code ${{search_space.<name>}}}; the search fields are a sweep job's.
     */
    private static PipelineSpec.Step sweepStep(String name, DocumentFields step) {
        step.onlyKnown(SWEEP_STEP_FIELDS);
        if (!step.has("trial")) {
            throw AtelierException.invalidParameter("Missing value for required field '" + step.pathOf("trial") + "': a sweep step's "
                    + "trial is a component (azureml:<name>:<version>, <name>@latest, or a component mapping)");
        }
        PipelineSpec.StepComponent component = component(step, "trial");
        SweepSpec search = SweepDocument.parse(step);
        Map<String, PipelineSpec.StepInput> inputs = inputs(step, true);
        inputs.forEach((input, value) -> {
            if (value instanceof PipelineSpec.StepInput.SearchSpace bound && !search.searchSpace().containsKey(bound.dimension())) {
                throw AtelierException.invalidParameter("Unknown search_space dimension '" + bound.dimension() + "' bound at '"
                        + step.pathOf("inputs." + input) + "'; the step's search_space: " + String.join(", ", search.searchSpace().keySet()));
            }
        });
        ObjectNode fields = Json.mapper().createObjectNode();
        SEARCH_FIELDS.forEach(field -> {
            if (step.has(field)) {
                fields.set(field, step.get(field));
            }
        });
        return new PipelineSpec.Step(name, component, inputs, outputs(step), compute(step), search.trialTimeoutSeconds(), Map.of(),
                Optional.of(new PipelineSpec.StepSweep(search, fields)));
    }

    private static Optional<String> compute(DocumentFields step) {
        return step.text("compute").filter(c -> !c.isBlank()).map(c -> c.startsWith("azureml:") ? c.substring("azureml:".length()) : c);
    }

    /** A step's {@code component} (or a sweep step's {@code trial}): a registered reference or a component mapping. */
    private static PipelineSpec.StepComponent component(DocumentFields step, String field) {
        JsonNode node = step.get(field);
        if (node.isTextual()) {
            return new PipelineSpec.StepComponent.Registered(node.asText());
        }
        if (node.isObject()) {
            return new PipelineSpec.StepComponent.Inline(ComponentDocument.parse(node, step.pathOf(field) + "."), node, false);
        }
        throw step.invalid(field, "a component reference (azureml:<name>:<version>, <name>@latest) or a component mapping");
    }

    /**
     * An inline command step: an anonymous component with the step's command, code and environment. Its outputs are the
     * step's ({@code uri_folder} unless typed); its inputs, typed by the values bound, are added by {@link PipelinePlan}.
     */
    private static PipelineSpec.StepComponent inlineCommand(String name, DocumentFields step) {
        String command = step.requiredText("command");
        Optional<String> code = step.text("code").map(text -> JobDocument.snapshotOf(step.pathOf("code"), text, false).snapshotId());
        Map<String, ComponentOutput> outputs = new LinkedHashMap<>();
        JsonNode declared = step.get("outputs");
        if (declared != null && declared.isObject()) {
            declared.properties().forEach(entry -> {
                JsonNode type = entry.getValue() == null ? null : entry.getValue().get("type");
                String typeName = type != null && type.isTextual() ? type.asText() : "uri_folder";
                IoType parsed = IoType.parse(typeName).filter(t -> !t.literal()).orElseThrow(() -> AtelierException.invalidParameter(
                        "Invalid value '" + typeName + "' for '" + step.pathOf("outputs." + entry.getKey() + ".type")
                                + "': expected uri_folder, uri_file, mltable or mlflow_model"));
                outputs.put(entry.getKey(), new ComponentOutput(parsed, ""));
            });
        }
        Optional<String> environment = step.text("environment");
        ComponentSpec spec = new ComponentSpec(name, Optional.empty(), name, step.text("description").orElse(""), Map.of(), true, code,
                environment, command, Map.of(), outputs);
        ObjectNode identity = Json.mapper().createObjectNode();
        identity.put("command", command);
        identity.put("outputs", outputs.toString());
        return new PipelineSpec.StepComponent.Inline(spec, identity, true);
    }

    /** @param sweep whether {@code ${{search_space.<name>}}} may be bound (a sweep step) */
    private static Map<String, PipelineSpec.StepInput> inputs(DocumentFields step, boolean sweep) {
        Map<String, PipelineSpec.StepInput> inputs = new LinkedHashMap<>();
        JsonNode node = step.get("inputs");
        if (node == null || node.isNull()) {
            return inputs;
        }
        DocumentFields map = DocumentFields.of(node, step.pathOf("inputs"));
        node.properties().forEach(entry -> {
            String name = JobDocument.checkName(map.pathOf(entry.getKey()), entry.getKey());
            String field = map.pathOf(name);
            JsonNode value = entry.getValue();
            if (value == null || value.isNull()) {
                throw AtelierException.invalidParameter("Missing value for '" + field + "': give a value or a binding such as "
                        + "${{parent.inputs.<name>}}");
            }
            Matcher searchSpace = value.isTextual() ? SEARCH_SPACE_BINDING.matcher(value.asText().strip()) : null;
            if (sweep && searchSpace != null && searchSpace.matches()) {
                inputs.put(name, new PipelineSpec.StepInput.SearchSpace(searchSpace.group(1)));
            } else if (value.isTextual() && value.asText().contains("${{")) {
                inputs.put(name, binding(field, value.asText()));
            } else if (value.isValueNode()) {
                inputs.put(name, new PipelineSpec.StepInput.Literal(value.asText(), value));
            } else {
                DocumentFields input = DocumentFields.of(value, field);
                input.onlyKnown(Set.of("type", "path", "mode", "description"));
                Optional<String> type = input.text("type");
                if (type.isPresent() && !type.get().equals("uri_file") && !type.get().equals("uri_folder")) {
                    throw AtelierException.invalidParameter("Invalid value '" + type.get() + "' for '" + input.pathOf("type")
                            + "': a step's data input is uri_file or uri_folder (literals are written as values)");
                }
                inputs.put(name, new PipelineSpec.StepInput.Data(DataInputs.parse(input, type)));
            }
        });
        return inputs;
    }

    private static PipelineSpec.StepInput binding(String field, String text) {
        Matcher matcher = BINDING.matcher(text.strip());
        if (!matcher.matches()) {
            throw AtelierException.invalidParameter("Invalid binding '" + text + "' for '" + field + "': expected "
                    + "${{parent.inputs.<name>}} or ${{parent.jobs.<step>.outputs.<name>}}");
        }
        if (matcher.group(1) != null) {
            return new PipelineSpec.StepInput.Parent(matcher.group(1));
        }
        if (matcher.group(2) != null) {
            return new PipelineSpec.StepInput.Upstream(matcher.group(2), matcher.group(3));
        }
        throw AtelierException.invalidParameter("Invalid binding '" + text + "' for '" + field + "': a step input reads "
                + "${{parent.inputs.<name>}} or ${{parent.jobs.<step>.outputs.<name>}}; ${{parent.outputs.<name>}} binds a step output");
    }

    private static Map<String, PipelineSpec.StepOutput> outputs(DocumentFields step) {
        Map<String, PipelineSpec.StepOutput> outputs = new LinkedHashMap<>();
        JsonNode node = step.get("outputs");
        if (node == null || node.isNull()) {
            return outputs;
        }
        DocumentFields map = DocumentFields.of(node, step.pathOf("outputs"));
        node.properties().forEach(entry -> {
            String name = JobDocument.checkName(map.pathOf(entry.getKey()), entry.getKey());
            String field = map.pathOf(name);
            JsonNode value = entry.getValue();
            if (value == null || value.isNull()) {
                outputs.put(name, new PipelineSpec.StepOutput(Optional.empty(), Optional.empty()));
            } else if (value.isTextual()) {
                Matcher matcher = BINDING.matcher(value.asText().strip());
                if (!matcher.matches() || matcher.group(4) == null) {
                    throw AtelierException.invalidParameter("Invalid binding '" + value.asText() + "' for '" + field + "': a step output "
                            + "binds ${{parent.outputs.<name>}}");
                }
                outputs.put(name, new PipelineSpec.StepOutput(Optional.empty(), Optional.of(matcher.group(4))));
            } else {
                DocumentFields output = DocumentFields.of(value, field);
                output.onlyKnown(Set.of("type", "mode", "description"));
                outputs.put(name, new PipelineSpec.StepOutput(output.text("type"), Optional.empty()));
            }
        });
        return outputs;
    }

    /** Every binding names a pipeline input, a step or a pipeline output that exists; each pipeline output is bound once. */
    private static void checkBindings(Set<String> inputs, Set<String> outputs, Map<String, PipelineSpec.Step> steps) {
        Map<String, String> boundOutputs = new HashMap<>();
        steps.values().forEach(step -> {
            step.inputs().forEach((name, input) -> {
                String field = "jobs." + step.name() + ".inputs." + name;
                switch (input) {
                    case PipelineSpec.StepInput.Parent parent when !inputs.contains(parent.input()) -> throw AtelierException
                            .invalidParameter("Unknown pipeline input '" + parent.input() + "' bound at '" + field + "'; the pipeline's "
                                    + "inputs: " + (inputs.isEmpty() ? "none" : String.join(", ", inputs)));
                    case PipelineSpec.StepInput.Upstream upstream when !steps.containsKey(upstream.step()) -> throw AtelierException
                            .invalidParameter("Unknown step '" + upstream.step() + "' bound at '" + field + "'; the pipeline's steps: "
                                    + String.join(", ", steps.keySet()));
                    case PipelineSpec.StepInput.Upstream upstream when upstream.step().equals(step.name()) -> throw AtelierException
                            .invalidParameter("Invalid binding at '" + field + "': a step cannot read its own output");
                    default -> { }
                }
            });
            step.outputs().forEach((name, output) -> output.pipelineOutput().ifPresent(target -> {
                String field = "jobs." + step.name() + ".outputs." + name;
                if (!outputs.contains(target)) {
                    throw AtelierException.invalidParameter("Unknown pipeline output '" + target + "' bound at '" + field
                            + "'; the pipeline's outputs: " + (outputs.isEmpty() ? "none" : String.join(", ", outputs)));
                }
                String previous = boundOutputs.put(target, field);
                if (previous != null) {
                    throw AtelierException.invalidParameter("Pipeline output '" + target + "' is bound twice: at '" + previous + "' and at '"
                            + field + "'");
                }
            }));
        });
        for (String output : outputs) {
            if (!boundOutputs.containsKey(output)) {
                throw AtelierException.invalidParameter("Pipeline output 'outputs." + output + "' is bound by no step: bind a step "
                        + "output to ${{parent.outputs." + output + "}}");
            }
        }
    }

    /** Refuses a cycle, naming its steps in order. */
    private static void checkAcyclic(Map<String, PipelineSpec.Step> steps) {
        Map<String, Integer> state = new HashMap<>();
        for (String step : steps.keySet()) {
            visit(step, steps, state, new ArrayList<>());
        }
    }

    private static void visit(String step, Map<String, PipelineSpec.Step> steps, Map<String, Integer> state, List<String> path) {
        Integer seen = state.get(step);
        if (seen != null && seen == 2) {
            return;
        }
        path.add(step);
        if (seen != null) {
            List<String> cycle = path.subList(path.indexOf(step), path.size());
            throw AtelierException.invalidParameter("The steps " + String.join(" → ", cycle) + " form a cycle (at 'jobs." + step
                    + ".inputs'): a step cannot read an output that depends on its own");
        }
        state.put(step, 1);
        for (String upstream : steps.get(step).upstream()) {
            visit(upstream, steps, state, path);
        }
        path.removeLast();
        state.put(step, 2);
    }

    /** The steps in an order where every step comes after those it reads from. */
    static List<String> order(Map<String, PipelineSpec.Step> steps) {
        List<String> ordered = new ArrayList<>();
        Set<String> placed = new java.util.HashSet<>();
        while (ordered.size() < steps.size()) {
            for (PipelineSpec.Step step : steps.values()) {
                if (!placed.contains(step.name()) && placed.containsAll(step.upstream())) {
                    placed.add(step.name());
                    ordered.add(step.name());
                }
            }
        }
        return ordered;
    }
}
