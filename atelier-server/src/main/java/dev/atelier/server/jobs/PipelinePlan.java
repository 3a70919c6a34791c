package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.components.Component;
import dev.atelier.server.components.ComponentInput;
import dev.atelier.server.components.ComponentOutput;
import dev.atelier.server.components.ComponentService;
import dev.atelier.server.components.ComponentSpec;
import dev.atelier.server.components.IoType;
import dev.atelier.server.environments.Environment;
import dev.atelier.server.environments.EnvironmentService;
import dev.atelier.server.http.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * A pipeline resolved in its workspace: each step's component (a registered version or the inline one), environment,
 * compute and data inputs, checked against each other (unknown inputs and outputs, type mismatches, missing required
 * inputs, literal values, unbound command references), and each step's reuse key. Built when the pipeline is submitted
 * (nothing is written before it succeeds) and again by the server that runs it, from the stored document, whose
 * references are pinned. Immutable once built.
 */
final class PipelinePlan {
    private final JobSpec.Pipeline pipeline;
    private final Map<String, Planned> steps;
    private final Map<String, JobData.Resolved> pipelineData;

    /**
     * One step, resolved.
     *
     * @param registered {@code name:version} of a registered component; empty for an inline one
     * @param inputTypes the type of each data value bound (literals are absent)
     * @param reuseKey   SHA-256 of what the step's result depends on (docs/pipelines.md, "Step reuse")
     * @param sampled    a sweep step, or a step reading (directly or not) from one: its result depends on the trials sampled
     */
    record Planned(PipelineSpec.Step step, ComponentSpec component, Optional<String> registered, Optional<Environment> environment,
                   String compute, String command, Map<String, IoType> inputTypes, Map<String, JobData.Resolved> stepData,
                   String reuseKey, boolean sampled) {
        Planned {
            requireNonNull(step, "step is null");
            requireNonNull(component, "component is null");
            requireNonNull(registered, "registered is null");
            requireNonNull(environment, "environment is null");
            requireNonNull(compute, "compute is null");
            requireNonNull(command, "command is null");
            inputTypes = Map.copyOf(inputTypes);
            stepData = Map.copyOf(stepData);
            requireNonNull(reuseKey, "reuseKey is null");
        }

        boolean reusable(PipelineSpec.Settings settings) {
            return recordsKey() && !settings.forceRerun();
        }

        /** Whether a later step may reuse this one's result: a deterministic component, not after a sweep (trials are sampled). */
        boolean recordsKey() {
            return component.deterministic() && !sampled;
        }
    }

    /** What planning reads from the workspace. */
    record Lookups(ComponentService components, EnvironmentService environments, JobData data) {
        Lookups {
            requireNonNull(components, "components is null");
            requireNonNull(environments, "environments is null");
            requireNonNull(data, "data is null");
        }
    }

    private PipelinePlan(JobSpec.Pipeline pipeline, Map<String, Planned> steps, Map<String, JobData.Resolved> pipelineData) {
        this.pipeline = pipeline;
        this.steps = Collections.unmodifiableMap(steps);
        this.pipelineData = Map.copyOf(pipelineData);
    }

    /**
     * Resolves and checks every step.
     *
     * @param inlineEnvironments the environment of each step (or its inline component) written inline, as it will be
     *                           registered; the others are resolved from their reference
     */
    static PipelinePlan of(String workspace, JobSpec.Pipeline pipeline, Lookups lookups, Map<String, Environment> inlineEnvironments) {
        PipelineSpec spec = pipeline.pipeline();
        Map<String, JobData.Resolved> pipelineData = new LinkedHashMap<>();
        Map<String, IoType> pipelineTypes = new LinkedHashMap<>();
        spec.inputs().forEach((name, input) -> {
            switch (input) {
                case JobInput.Literal literal -> { }
                case JobInput.Data data -> pipelineTypes.put(name, ioType(data.type()));
                case JobInput.Stored stored -> {
                    JobData.Resolved resolved = lookups.data().resolve(workspace, "inputs." + name + ".path", stored.path(), stored.type());
                    pipelineData.put(name, resolved);
                    pipelineTypes.put(name, ioType(resolved.type()));
                }
            }
        });
        Map<String, Planned> planned = new LinkedHashMap<>();
        for (String name : PipelineDocument.order(spec.steps())) {
            planned.put(name, step(workspace, pipeline, spec.steps().get(name), pipelineTypes, pipelineData, planned, lookups,
                    Optional.ofNullable(inlineEnvironments.get(name))));
        }
        Map<String, Planned> ordered = new LinkedHashMap<>();
        spec.steps().keySet().forEach(name -> ordered.put(name, planned.get(name)));
        return new PipelinePlan(pipeline, ordered, pipelineData);
    }

    private static Planned step(String workspace, JobSpec.Pipeline pipeline, PipelineSpec.Step step, Map<String, IoType> pipelineTypes,
                                Map<String, JobData.Resolved> pipelineData, Map<String, Planned> upstream, Lookups lookups,
                                Optional<Environment> inlineEnvironment) {
        String prefix = "jobs." + step.name() + ".";
        String componentField = step.sweep().isPresent() ? "trial" : "component";
        PipelineSpec spec = pipeline.pipeline();
        ComponentSpec component;
        Optional<String> registered = Optional.empty();
        JsonNode identity;
        Map<String, JobData.Resolved> stepData = new LinkedHashMap<>();
        Map<String, IoType> types = new LinkedHashMap<>();
        step.inputs().forEach((name, input) -> {
            String field = prefix + "inputs." + name;
            switch (input) {
                case PipelineSpec.StepInput.Literal literal -> { }
                case PipelineSpec.StepInput.SearchSpace sampled -> { }
                case PipelineSpec.StepInput.Parent parent -> {
                    if (pipelineTypes.containsKey(parent.input())) {
                        types.put(name, pipelineTypes.get(parent.input()));
                    }
                }
                case PipelineSpec.StepInput.Upstream bound -> {
                    ComponentOutput output = upstream.get(bound.step()).component().outputs().get(bound.output());
                    if (output == null) {
                        throw AtelierException.invalidParameter("Unknown output '" + bound.output() + "' of step '" + bound.step()
                                + "' bound at '" + field + "'; its outputs: " + names(upstream.get(bound.step()).component().outputs().keySet()));
                    }
                    types.put(name, output.type());
                }
                case PipelineSpec.StepInput.Data data -> {
                    switch (data.input()) {
                        case JobInput.Data snapshot -> types.put(name, ioType(snapshot.type()));
                        case JobInput.Stored stored -> {
                            JobData.Resolved resolved = lookups.data().resolve(workspace, field + ".path", stored.path(), stored.type());
                            stepData.put(name, resolved);
                            types.put(name, ioType(resolved.type()));
                        }
                        case JobInput.Literal literal -> { }
                    }
                }
            }
        });
        switch (step.component()) {
            case PipelineSpec.StepComponent.Registered reference -> {
                Component found = lookups.components().resolve(workspace, prefix + componentField, reference.reference());
                component = found.spec();
                registered = Optional.of(found.reference());
                identity = Json.mapper().getNodeFactory().textNode(found.reference());
            }
            case PipelineSpec.StepComponent.Inline inline when inline.command() -> {
                component = withInputs(inline.spec(), step, types);
                identity = inline.identity();
            }
            case PipelineSpec.StepComponent.Inline inline -> {
                component = inline.spec();
                identity = inline.identity();
            }
        }
        checkInputs(prefix, step, component, types, spec.inputs());
        Set<String> provided = step.inputs().keySet();
        String command = step.component() instanceof PipelineSpec.StepComponent.Inline inline && inline.command()
                ? component.command() : component.commandFor(provided);
        Set<String> available = new java.util.HashSet<>(provided);
        component.inputs().forEach((name, input) -> input.defaultValue().ifPresent(value -> available.add(name)));
        Bindings.check(step.component() instanceof PipelineSpec.StepComponent.Registered ? prefix + componentField + " ("
                + registered.get() + ").command" : step.component() instanceof PipelineSpec.StepComponent.Inline inline && inline.command()
                ? prefix + "command" : prefix + componentField + ".command", command, available, component.outputs().keySet(), Set.of());
        checkOutputs(prefix, step, component, spec.outputs());
        Optional<Environment> environment = inlineEnvironment.or(() -> component.environment().map(reference ->
                lookups.environments().resolve(workspace, prefix + (step.component() instanceof PipelineSpec.StepComponent.Inline inline
                        && inline.command() ? "environment" : componentField + ".environment"), reference)));
        String compute = step.compute().orElse(pipeline.compute());
        String key = reuseKey(step, component, registered, identity, environment, pipelineData, spec, stepData, upstream);
        boolean sampled = step.sweep().isPresent() || step.upstream().stream().anyMatch(name -> upstream.get(name).sampled());
        return new Planned(step, component, registered, environment, compute, command, types, stepData, key, sampled);
    }

    /** An inline command step's component: its inputs typed by the values bound to them (a literal by its JSON kind). */
    private static ComponentSpec withInputs(ComponentSpec spec, PipelineSpec.Step step, Map<String, IoType> types) {
        Map<String, ComponentInput> inputs = new LinkedHashMap<>();
        step.inputs().forEach((name, input) -> {
            IoType type = types.getOrDefault(name, input instanceof PipelineSpec.StepInput.Literal literal ? literalType(literal.node())
                    : IoType.STRING);
            inputs.put(name, new ComponentInput(type, Optional.empty(), false, Optional.empty(), Optional.empty(), List.of(), ""));
        });
        return new ComponentSpec(spec.name(), spec.version(), spec.displayName(), spec.description(), spec.tags(), spec.deterministic(),
                spec.codeSnapshot(), spec.environment(), spec.command(), inputs, spec.outputs());
    }

    private static IoType literalType(JsonNode node) {
        if (node.isBoolean()) {
            return IoType.BOOLEAN;
        }
        if (node.isIntegralNumber()) {
            return IoType.INTEGER;
        }
        return node.isNumber() ? IoType.NUMBER : IoType.STRING;
    }

    private static void checkInputs(String prefix, PipelineSpec.Step step, ComponentSpec component, Map<String, IoType> types,
                                    Map<String, JobInput> pipelineInputs) {
        step.inputs().forEach((name, input) -> {
            String field = prefix + "inputs." + name;
            ComponentInput declared = component.inputs().get(name);
            if (declared == null) {
                throw AtelierException.invalidParameter("Unknown input '" + name + "' at '" + field + "': the component has "
                        + (component.inputs().isEmpty() ? "no inputs" : "inputs " + names(component.inputs().keySet())));
            }
            Optional<String> literal = switch (input) {
                case PipelineSpec.StepInput.Literal value -> Optional.of(value.value());
                case PipelineSpec.StepInput.Parent parent when pipelineInputs.get(parent.input()) instanceof JobInput.Literal value ->
                        Optional.of(value.value());
                default -> Optional.empty();
            };
            if (input instanceof PipelineSpec.StepInput.SearchSpace sampled && !declared.type().literal()) {
                throw AtelierException.invalidParameter("Type mismatch at '" + field + "': the input is " + declared.type().wireName()
                        + " data, ${{search_space." + sampled.dimension() + "}} is a literal");
            }
            if (literal.isPresent()) {
                if (!declared.type().literal()) {
                    throw AtelierException.invalidParameter("Type mismatch at '" + field + "': the input is " + declared.type().wireName()
                            + " data, the value bound is a literal");
                }
                declared.check(field, literal.get());
                return;
            }
            IoType type = types.get(name);
            if (type != null && !declared.type().accepts(type)) {
                throw AtelierException.invalidParameter("Type mismatch at '" + field + "': the input is " + declared.type().wireName()
                        + ", the value bound is " + type.wireName());
            }
        });
        component.inputs().forEach((name, declared) -> {
            if (declared.required() && !step.inputs().containsKey(name)) {
                throw AtelierException.invalidParameter("Missing required input '" + prefix + "inputs." + name + "' ("
                        + declared.type().wireName() + "): the component's input has no default and is not optional");
            }
        });
    }

    private static void checkOutputs(String prefix, PipelineSpec.Step step, ComponentSpec component,
                                     Map<String, PipelineSpec.Output> pipelineOutputs) {
        step.outputs().forEach((name, output) -> {
            String field = prefix + "outputs." + name;
            ComponentOutput declared = component.outputs().get(name);
            if (declared == null) {
                throw AtelierException.invalidParameter("Unknown output '" + name + "' at '" + field + "': the component has "
                        + (component.outputs().isEmpty() ? "no outputs" : "outputs " + names(component.outputs().keySet())));
            }
            output.type().ifPresent(type -> {
                if (IoType.parse(type).filter(parsed -> parsed.accepts(declared.type())).isEmpty()) {
                    throw AtelierException.invalidParameter("Type mismatch at '" + field + ".type': the component's output is "
                            + declared.type().wireName() + ", the step declares " + type);
                }
            });
            output.pipelineOutput().ifPresent(target -> {
                String type = pipelineOutputs.get(target).type();
                if (!ioType(type).accepts(declared.type())) {
                    throw AtelierException.invalidParameter("Type mismatch at '" + field + "': the component's output is "
                            + declared.type().wireName() + ", pipeline output '" + target + "' is " + type);
                }
            });
        });
    }

    /**
     * The SHA-256 over what a step's outputs depend on: the component (registered {@code name:version}, or the inline
     * document), its code snapshot, its environment's content, each input's resolved value (an upstream step's key and
     * output, a pinned data asset version, a datastore URI, a snapshot, a literal), the environment variables and the
     * output settings.
     */
    private static String reuseKey(PipelineSpec.Step step, ComponentSpec component, Optional<String> registered, JsonNode identity,
                                   Optional<Environment> environment, Map<String, JobData.Resolved> pipelineData, PipelineSpec spec,
                                   Map<String, JobData.Resolved> stepData, Map<String, Planned> upstream) {
        ObjectNode key = Json.mapper().createObjectNode();
        key.put("component", registered.orElse(""));
        key.set("inline", registered.isPresent() ? null : canonical(identity));
        key.put("code", component.codeSnapshot().orElse(""));
        key.put("environment", environment.map(PipelinePlan::environmentDigest).orElse(""));
        ObjectNode inputs = key.putObject("inputs");
        new TreeMap<>(step.inputs()).forEach((name, input) -> inputs.put(name, switch (input) {
            case PipelineSpec.StepInput.Literal literal -> "literal:" + literal.value();
            case PipelineSpec.StepInput.SearchSpace sampled -> "search_space:" + sampled.dimension();
            case PipelineSpec.StepInput.Parent parent -> valueOf(spec.inputs().get(parent.input()), pipelineData.get(parent.input()));
            case PipelineSpec.StepInput.Upstream bound -> "step:" + upstream.get(bound.step()).reuseKey() + "/" + bound.output();
            case PipelineSpec.StepInput.Data data -> valueOf(data.input(), stepData.get(name));
        }));
        ObjectNode variables = key.putObject("environment_variables");
        new TreeMap<>(step.environmentVariables()).forEach(variables::put);
        ObjectNode outputs = key.putObject("outputs");
        new TreeMap<>(component.outputs()).forEach((name, output) -> {
            String asset = step.outputs().getOrDefault(name, new PipelineSpec.StepOutput(Optional.empty(), Optional.empty()))
                    .pipelineOutput().flatMap(target -> spec.outputs().get(target).asset())
                    .map(a -> a.name() + ":" + (a.version().isPresent() ? a.version().getAsInt() : "")).orElse("");
            outputs.put(name, output.type().wireName() + "|" + asset);
        });
        return sha256(key.toString());
    }

    private static String valueOf(JobInput input, JobData.Resolved resolved) {
        return switch (input) {
            case JobInput.Literal literal -> "literal:" + literal.value();
            case JobInput.Data data -> "snapshot:" + data.snapshotId() + data.file().map(file -> "/" + file).orElse("");
            case JobInput.Stored stored -> (resolved != null ? resolved.path() : stored.path()) + "|" + stored.mode().wireName();
        };
    }

    /** The digest of what an environment is (not its name or version): two versions with one specification are equal. */
    static String environmentDigest(Environment environment) {
        return sha256(String.join("\u0000", environment.kind().toString(), environment.executable().orElse(""),
                environment.image().orElse(""), environment.python().orElse(""), environment.requirements().orElse(""),
                environment.condaFile().orElse(""), environment.build().map(Object::toString).orElse("")));
    }

    /** The node with every object's fields sorted, so that equal documents hash equally. */
    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = Json.mapper().createObjectNode();
            new TreeMap<String, JsonNode>(Json.mapper().convertValue(node, new com.fasterxml.jackson.core.type.TypeReference<Map<String, JsonNode>>() { }))
                    .forEach((field, value) -> sorted.set(field, canonical(value)));
            return sorted;
        }
        if (node.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode array = Json.mapper().createArrayNode();
            node.forEach(item -> array.add(canonical(item)));
            return array;
        }
        return node;
    }

    static IoType ioType(String type) {
        return IoType.parse(type).orElse(IoType.URI_FOLDER);
    }

    private static String names(Set<String> names) {
        return String.join(", ", names);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    JobSpec.Pipeline pipeline() {
        return pipeline;
    }

    /** The steps in document order. */
    Map<String, Planned> steps() {
        return steps;
    }

    /** The pipeline's data inputs resolved (a data asset version pinned to its number). */
    Map<String, JobData.Resolved> pipelineData() {
        return pipelineData;
    }
}
