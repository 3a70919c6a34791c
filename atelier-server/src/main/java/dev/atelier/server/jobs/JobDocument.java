package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.environments.EnvironmentDocument;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a job document (the YAML of {@code atelier job create -f}, as JSON) into a {@link JobSpec},
 * following Azure ML CLI v2's command and sweep job schemas
 * (https://learn.microsoft.com/azure/machine-learning/reference-yaml-job-command). Atelier's
 * additions: {@code secrets} (environment variable to secret name) and {@code resources.cpu/memory}
 * for Kubernetes. Local paths ({@code code}, input {@code path}) must have been replaced by the
 * client with {@code snapshot:<id>} references (the CLI and SDK upload them first).
 */
final class JobDocument {
    static final Pattern SNAPSHOT_REFERENCE = Pattern.compile("snapshot:([0-9a-f]{64})(?:/(.+))?");
    private static final Set<String> COMMAND_FIELDS = Set.of("$schema", "type", "name", "display_name", "experiment_name",
            "description", "tags", "code", "command", "inputs", "outputs", "environment", "environment_variables", "compute", "limits",
            "secrets", "resources");
    private static final Set<String> SWEEP_FIELDS = Set.of("$schema", "type", "name", "display_name", "experiment_name",
            "description", "tags", "compute", "trial", "search_space", "sampling_algorithm", "objective", "limits",
            "early_termination", "inputs", "outputs");
    private static final Set<String> TRIAL_FIELDS = Set.of("code", "command", "environment", "environment_variables", "secrets",
            "resources");
    static final String DEFAULT_EXPERIMENT = "Default";

    private JobDocument() {
    }

    /**
     * The document with a job's inline environment (Azure ML's {@code environment:} mapping, at the top of a command
     * job or in a sweep's {@code trial}) replaced by the reference {@code register} answers for it; a document without
     * one is returned as it is. The mapping is read by {@link EnvironmentDocument#parseInline}.
     */
    static Optional<EnvironmentDocument.Draft> inlineEnvironment(JsonNode document) {
        boolean sweep = "sweep".equals(document.path("type").asText());
        JsonNode holder = sweep ? document.path("trial") : document;
        return holder.path("environment").isObject()
                ? Optional.of(EnvironmentDocument.parseInline(holder.get("environment"), sweep ? "trial.environment." : "environment."))
                : Optional.empty();
    }

    /** A copy of the document whose environment (a sweep's trial's) is the reference {@code azureml:<reference>}. */
    static ObjectNode withEnvironment(JsonNode document, String reference) {
        ObjectNode copy = document.deepCopy();
        ((ObjectNode) ("sweep".equals(document.path("type").asText()) ? copy.get("trial") : copy)).put("environment", "azureml:" + reference);
        return copy;
    }

    /** A command job's document (a command job, a sweep's trial or a pipeline's step): what a running workload reads. */
    static JobSpec.WithCommand parseCommand(JsonNode document) {
        if (!(parse(document) instanceof JobSpec.WithCommand spec)) {
            // A job of another kind (a batch scoring job) has no command: its inputs and outputs are not served to workloads.
            throw AtelierException.invalidParameter("Job '" + document.path("name").asText() + "' is a " + document.path("type").asText()
                    + " job, which has no command's inputs and outputs");
        }
        return spec;
    }

    static JobSpec parse(JsonNode document) {
        DocumentFields root = DocumentFields.of(document, "");
        String type = root.text("type").orElse("command");
        return switch (type) {
            case "command" -> command(root);
            case "sweep" -> sweep(root);
            case "pipeline" -> PipelineDocument.parse(root);
            case "automl" -> AutoMlDocument.parse(root);
            default -> throw AtelierException.invalidParameter("Invalid value '" + type + "' for 'type': expected command, sweep, "
                    + "pipeline or automl");
        };
    }

    private static JobSpec command(DocumentFields root) {
        root.onlyKnown(COMMAND_FIELDS);
        Map<String, JobInput> inputs = inputs(root);
        Map<String, JobData.OutputAsset> assets = new LinkedHashMap<>();
        Map<String, String> paths = new LinkedHashMap<>();
        Map<String, String> outputs = outputs(root, assets, paths);
        Optional<Long> timeout = root.object("limits").flatMap(limits -> {
            limits.onlyKnown(Set.of("timeout"));
            return limits.positiveLong("timeout");
        });
        CommandSpec command = commandOf(root, inputs, outputs, assets, paths, timeout);
        Bindings.check("command", command.command(), inputs.keySet(), outputs.keySet(), Set.of());
        return new JobSpec.Command(name(root), root.text("display_name"),
                root.text("experiment_name").filter(n -> !n.isBlank()).orElse(DEFAULT_EXPERIMENT),
                root.text("description").orElse(""), root.textMap("tags"), compute(root), command);
    }

    private static JobSpec.Sweep sweep(DocumentFields root) {
        root.onlyKnown(SWEEP_FIELDS);
        Map<String, JobInput> inputs = inputs(root);
        Map<String, JobData.OutputAsset> assets = new LinkedHashMap<>();
        Map<String, String> paths = new LinkedHashMap<>();
        Map<String, String> outputs = outputs(root, assets, paths);
        if (!assets.isEmpty()) {
            throw AtelierException.invalidParameter("Invalid 'outputs." + assets.keySet().iterator().next() + ".name': a sweep's "
                    + "trials cannot register one data asset version each; register outputs from command jobs");
        }
        paths.forEach((output, path) -> {
            if (!path.contains(StepDocuments.TRIAL_NAME)) {
                throw AtelierException.invalidParameter("Invalid 'outputs." + output + ".path': a sweep's trials would write over "
                        + "each other; put " + StepDocuments.TRIAL_NAME + " (each trial's name) in the path");
            }
        });
        SweepSpec sweep = SweepDocument.parse(root);
        DocumentFields trial = root.object("trial").orElseThrow(() -> AtelierException.invalidParameter(
                "Missing value for required field 'trial' in the sweep job document"));
        trial.onlyKnown(TRIAL_FIELDS);
        CommandSpec command = commandOf(trial, inputs, outputs, assets, Map.of(), sweep.trialTimeoutSeconds());
        Bindings.check("trial.command", command.command(), inputs.keySet(), outputs.keySet(), sweep.searchSpace().keySet());
        return new JobSpec.Sweep(name(root), root.text("display_name"),
                root.text("experiment_name").filter(n -> !n.isBlank()).orElse(DEFAULT_EXPERIMENT),
                root.text("description").orElse(""), root.textMap("tags"), compute(root), command, sweep);
    }

    private static CommandSpec commandOf(DocumentFields fields, Map<String, JobInput> inputs, Map<String, String> outputs,
                                         Map<String, JobData.OutputAsset> assets, Map<String, String> paths, Optional<Long> timeout) {
        String command = fields.requiredText("command");
        Optional<String> code = fields.text("code").map(text -> snapshotOf(fields.pathOf("code"), text, false).snapshotId());
        Optional<DocumentFields> resources = fields.object("resources");
        resources.ifPresent(r -> r.onlyKnown(Set.of("cpu", "memory", "instance_count")));
        Map<String, String> secrets = fields.textMap("secrets");
        Map<String, String> variables = fields.textMap("environment_variables");
        for (String variable : secrets.keySet()) {
            if (variables.containsKey(variable)) {
                throw AtelierException.invalidParameter("Environment variable '" + variable + "' is set both in environment_variables "
                        + "and in secrets");
            }
        }
        return new CommandSpec(command, code, fields.text("environment"), variables, inputs, outputs, assets, paths, secrets, timeout,
                resources.flatMap(r -> r.text("cpu")), resources.flatMap(r -> r.text("memory")));
    }

    static Optional<String> name(DocumentFields root) {
        Optional<String> name = root.text("name");
        name.ifPresent(JobNames::check);
        return name;
    }

    static String compute(DocumentFields root) {
        return root.text("compute").map(c -> c.startsWith("azureml:") ? c.substring("azureml:".length()) : c)
                .filter(c -> !c.isBlank()).orElse("local");
    }

    static Map<String, JobInput> inputs(DocumentFields root) {
        Map<String, JobInput> inputs = new LinkedHashMap<>();
        JsonNode node = root.get("inputs");
        if (node == null || node.isNull()) {
            return inputs;
        }
        DocumentFields map = DocumentFields.of(node, "inputs");
        node.properties().forEach(entry -> {
            String name = checkName(map.pathOf(entry.getKey()), entry.getKey());
            JsonNode value = entry.getValue();
            if (value != null && value.isValueNode() && !value.isNull()) {
                inputs.put(name, new JobInput.Literal(value.asText()));
                return;
            }
            DocumentFields input = DocumentFields.of(value, map.pathOf(name));
            input.onlyKnown(Set.of("type", "path", "default", "mode", "description"));
            Optional<String> declared = input.text("type");
            String type = declared.orElse("uri_folder");
            switch (type) {
                case "uri_file", "uri_folder" -> inputs.put(name, DataInputs.parse(input, declared));
                case "string", "integer", "number", "boolean" -> inputs.put(name, new JobInput.Literal(input.requiredText("default")));
                default -> throw AtelierException.invalidParameter("Invalid value '" + type + "' for '" + input.pathOf("type")
                        + "': expected uri_file, uri_folder, string, integer, number or boolean");
            }
        });
        return inputs;
    }

    /** {@code outputs}: name to type; the outputs to register go to {@code assets}, those with a {@code path} to {@code paths}. */
    static Map<String, String> outputs(DocumentFields root, Map<String, JobData.OutputAsset> assets, Map<String, String> paths) {
        Map<String, String> outputs = new LinkedHashMap<>();
        JsonNode node = root.get("outputs");
        if (node == null || node.isNull()) {
            return outputs;
        }
        DocumentFields map = DocumentFields.of(node, "outputs");
        node.properties().forEach(entry -> {
            String name = checkName(map.pathOf(entry.getKey()), entry.getKey());
            String type = "uri_folder";
            if (entry.getValue() != null && !entry.getValue().isNull()) {
                DocumentFields output = DocumentFields.of(entry.getValue(), map.pathOf(name));
                output.onlyKnown(Set.of("type", "mode", "description", "name", "version", "path"));
                type = output.text("type").orElse("uri_folder");
                if (!type.equals("uri_folder") && !type.equals("uri_file")) {
                    throw AtelierException.invalidParameter("Invalid value '" + type + "' for '" + output.pathOf("type")
                            + "': expected uri_folder or uri_file");
                }
                DataInputs.outputAsset(output).ifPresent(asset -> assets.put(name, asset));
                DataInputs.outputPath(output).ifPresent(path -> paths.put(name, path));
            }
            outputs.put(name, type);
        });
        return outputs;
    }

    /** A {@code snapshot:<id>[/<file>]} reference; a local path means the client did not upload it. */
    static JobInput.Data snapshotOf(String field, String value, boolean file) {
        Matcher matcher = SNAPSHOT_REFERENCE.matcher(value);
        if (!matcher.matches()) {
            throw AtelierException.invalidParameter("Invalid value '" + value + "' for '" + field + "': the server cannot read "
                    + "local paths; submit with 'atelier job create -f' (or the SDK), which uploads them as snapshots");
        }
        if (file && matcher.group(2) == null) {
            throw AtelierException.invalidParameter("Invalid value '" + value + "' for '" + field
                    + "': a uri_file input names a file inside its snapshot (snapshot:<id>/<file>)");
        }
        return new JobInput.Data(file ? "uri_file" : "uri_folder", matcher.group(1), Optional.ofNullable(matcher.group(2)));
    }

    static String checkName(String field, String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
            throw AtelierException.invalidParameter("Invalid name '" + name + "' at '" + field
                    + "': use letters, digits and '_', starting with a letter or '_'");
        }
        return name;
    }
}
