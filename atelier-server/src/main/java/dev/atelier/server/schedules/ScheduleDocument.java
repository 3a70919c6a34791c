package dev.atelier.server.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A schedule document (Azure ML CLI v2 schedule YAML): {@code $schema}, {@code name}, {@code display_name},
 * {@code description}, {@code tags}, {@code trigger} ({@link TriggerDocument}) and {@code create_job}, which is an inline
 * job document, {@code azureml:<job name>} (that job's stored document), or Azure's
 * {@code {job: <inline or azureml:...>, inputs, settings, experiment_name, tags}} whose fields override the job's.
 * {@link #parse} resolves {@code create_job} to the job document every fire submits, without a name (each job gets a
 * fresh one) and tagged {@code atelier.schedule: <name>}; {@code document} is the submitted schedule with that
 * resolved job in {@code create_job}, what is stored and parsed again on every read. Immutable.
 *
 * @param cadence when the schedule is due
 * @param job     the job document a fire submits
 */
record ScheduleDocument(String name, ObjectNode document, Cadence cadence, ObjectNode job) {
    /** The tag a job made by a schedule carries, on its document's {@code tags} (so on its run): the schedule's name. */
    static final String SCHEDULE_TAG = "atelier.schedule";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,254}");
    private static final Set<String> FIELDS = Set.of("$schema", "name", "display_name", "description", "tags", "trigger", "create_job");
    private static final Set<String> JOB_OVERRIDES = Set.of("type", "job", "inputs", "settings", "experiment_name", "tags");

    ScheduleDocument {
        requireNonNull(name, "name is null");
        requireNonNull(document, "document is null");
        requireNonNull(cadence, "cadence is null");
        requireNonNull(job, "job is null");
    }

    /**
     * @param created   when the schedule was (or is being) created
     * @param storedJob the document of an existing job of the workspace, for {@code azureml:<name>}; throws NOT_FOUND
     * @throws AtelierException INVALID_PARAMETER_VALUE naming the field
     */
    static ScheduleDocument parse(JsonNode submitted, Instant created, Function<String, JsonNode> storedJob) {
        if (!(submitted instanceof ObjectNode root)) {
            throw AtelierException.invalidParameter("Invalid schedule document: expected a mapping of fields (name, trigger, create_job)");
        }
        root.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                throw invalid(field, "unknown field; known fields: " + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        });
        String name = text(root, "", "name").orElseThrow(() -> invalid("name", "required"));
        if (!NAME.matcher(name).matches()) {
            throw invalid("name", "'" + name + "' must be 1 to 255 letters, digits, '_' or '-', starting with a letter or digit");
        }
        text(root, "", "display_name");
        text(root, "", "description");
        if (root.has("tags") && !root.get("tags").isNull() && (!root.get("tags").isObject()
                || !root.get("tags").properties().stream().allMatch(tag -> tag.getValue().isValueNode()))) {
            throw invalid("tags", "must be a mapping of names to values");
        }
        Cadence cadence = TriggerDocument.parse(root.get("trigger"), created);
        ObjectNode job = job(root.get("create_job"), storedJob);
        job.remove("name");
        ObjectNode tags = job.path("tags").isObject() ? (ObjectNode) job.get("tags") : job.putObject("tags");
        tags.put(SCHEDULE_TAG, name);
        ObjectNode document = root.deepCopy();
        document.set("create_job", job.deepCopy());
        return new ScheduleDocument(name, document, cadence, job);
    }

    private static ObjectNode job(JsonNode createJob, Function<String, JsonNode> storedJob) {
        if (createJob == null || createJob.isNull()) {
            throw invalid("create_job", "required: an inline job, azureml:<job name>, or a mapping with job and overrides");
        }
        if (createJob.isTextual()) {
            return reference("create_job", createJob.asText(), storedJob);
        }
        if (!(createJob instanceof ObjectNode mapping)) {
            throw invalid("create_job", "must be a job document or azureml:<job name>");
        }
        if (!mapping.has("job")) {
            return mapping.deepCopy();
        }
        mapping.fieldNames().forEachRemaining(field -> {
            if (!JOB_OVERRIDES.contains(field)) {
                throw invalid("create_job." + field, "unknown field beside create_job.job; known fields: "
                        + String.join(", ", JOB_OVERRIDES.stream().sorted().toList()));
            }
        });
        JsonNode base = mapping.get("job");
        ObjectNode job = base.isTextual() ? reference("create_job.job", base.asText(), storedJob)
                : base instanceof ObjectNode inline ? inline.deepCopy() : null;
        if (job == null) {
            throw invalid("create_job.job", "must be a job document or azureml:<job name>");
        }
        for (String map : new String[] {"inputs", "settings", "tags"}) {
            JsonNode overrides = mapping.get(map);
            if (overrides == null || overrides.isNull()) {
                continue;
            }
            if (!overrides.isObject()) {
                throw invalid("create_job." + map, "must be a mapping");
            }
            ObjectNode target = job.path(map).isObject() ? (ObjectNode) job.get(map) : job.putObject(map);
            overrides.properties().forEach(entry -> target.set(entry.getKey(), entry.getValue().deepCopy()));
        }
        text(mapping, "create_job.", "experiment_name").ifPresent(experiment -> job.put("experiment_name", experiment));
        text(mapping, "create_job.", "type").filter(type -> job.has("type") && !type.equals(job.path("type").asText()))
                .ifPresent(type -> {
                    throw invalid("create_job.type", "'" + type + "' differs from the job's type '" + job.path("type").asText() + "'");
                });
        return job;
    }

    private static ObjectNode reference(String field, String reference, Function<String, JsonNode> storedJob) {
        if (!reference.startsWith("azureml:")) {
            throw invalid(field, "'" + reference + "' is not azureml:<job name>; a local job file is read by the CLI "
                    + "(atelier schedule create -f), which sends the job inline");
        }
        String name = reference.substring("azureml:".length()).strip();
        try {
            return storedJob.apply(name).deepCopy();
        } catch (AtelierException e) {
            throw invalid(field, e.getMessage());
        }
    }

    static Optional<String> text(JsonNode node, String prefix, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isValueNode()) {
            throw invalid(prefix + field, "must be a single value");
        }
        return Optional.of(value.asText().strip()).filter(text -> !text.isEmpty());
    }

    static AtelierException invalid(String field, String problem) {
        return AtelierException.invalidParameter("Invalid '" + field + "': " + problem);
    }
}
