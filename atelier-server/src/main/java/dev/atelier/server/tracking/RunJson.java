package dev.atelier.server.tracking;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.atelier.server.http.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes runs/create's {@code {"run": ...}} and runs/search's {@code {"runs": [...], "next_page_token": ...}} with a
 * streaming generator, byte for byte what {@link Json#mapper()} writes for the same records (null fields and empty
 * lists left out, non-finite metric values as MLflow's strings): binding the records cost more of the server's CPU
 * than the database work of these two calls. Stateless.
 */
final class RunJson {
    private RunJson() {
    }

    /** {@code {"run": run}}. */
    static byte[] one(Run run) {
        return one(run, Map.of());
    }

    /** {@code {"run": run}} with MLflow 3's {@code outputs}: the models the run produced, by id, with their step. */
    static byte[] one(Run run, Map<String, Long> outputs) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (JsonGenerator json = Json.mapper().getFactory().createGenerator(bytes)) {
            json.writeStartObject();
            json.writeFieldName("run");
            run(json, run, outputs);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A page of runs: {@code {"runs": [...], "next_page_token": "..."}}, as {@link Page#body} with "runs" is written;
     * each run with the {@code outputs} that {@code outputsByRun} (by run id) names.
     */
    static byte[] page(Page<Run> page, Map<String, Map<String, Long>> outputsByRun) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + page.items().size() * 768);
        try (JsonGenerator json = Json.mapper().getFactory().createGenerator(bytes)) {
            json.writeStartObject();
            json.writeArrayFieldStart("runs");
            for (Run run : page.items()) {
                run(json, run, outputsByRun.getOrDefault(run.info().runUuid(), Map.of()));
            }
            json.writeEndArray();
            if (page.nextPageToken().isPresent()) {
                json.writeStringField("next_page_token", page.nextPageToken().get());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void run(JsonGenerator json, Run run, Map<String, Long> outputs) throws IOException {
        json.writeStartObject();
        info(json, run.info());
        json.writeObjectFieldStart("data");
        if (!run.data().metrics().isEmpty()) {
            json.writeArrayFieldStart("metrics");
            for (Metric metric : run.data().metrics()) {
                json.writeStartObject();
                json.writeStringField("key", metric.key());
                json.writeNumberField("value", metric.value());
                json.writeNumberField("timestamp", metric.timestamp());
                json.writeNumberField("step", metric.step());
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        keyValues(json, "params", run.data().params());
        keyValues(json, "tags", run.data().tags());
        json.writeEndObject();
        json.writeObjectFieldStart("inputs");
        if (!run.inputs().datasetInputs().isEmpty()) {
            json.writeArrayFieldStart("dataset_inputs");
            for (DatasetInput input : run.inputs().datasetInputs()) {
                json.writeStartObject();
                keyValues(json, "tags", input.tags());
                Dataset dataset = input.dataset();
                json.writeObjectFieldStart("dataset");
                json.writeStringField("name", dataset.name());
                json.writeStringField("digest", dataset.digest());
                json.writeStringField("source_type", dataset.sourceType());
                json.writeStringField("source", dataset.source());
                optionalString(json, "schema", dataset.schema());
                optionalString(json, "profile", dataset.profile());
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeEndObject();
        if (!outputs.isEmpty()) {
            json.writeObjectFieldStart("outputs");
            json.writeArrayFieldStart("model_outputs");
            for (Map.Entry<String, Long> output : outputs.entrySet()) {
                json.writeStartObject();
                json.writeStringField("model_id", output.getKey());
                json.writeNumberField("step", output.getValue());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private static void info(JsonGenerator json, RunInfo info) throws IOException {
        json.writeObjectFieldStart("info");
        json.writeStringField("run_uuid", info.runUuid());
        json.writeStringField("experiment_id", info.experimentId());
        optionalString(json, "run_name", info.runName());
        optionalString(json, "user_id", info.userId());
        json.writeStringField("status", info.status().name());
        if (info.startTime() != null) {
            json.writeNumberField("start_time", info.startTime());
        }
        if (info.endTime() != null) {
            json.writeNumberField("end_time", info.endTime());
        }
        json.writeStringField("artifact_uri", info.artifactUri());
        json.writeStringField("lifecycle_stage", info.lifecycleStage());
        json.writeStringField("run_id", info.runId());
        json.writeEndObject();
    }

    private static void keyValues(JsonGenerator json, String field, List<KeyValue> values) throws IOException {
        if (values.isEmpty()) {
            return;
        }
        json.writeArrayFieldStart(field);
        for (KeyValue value : values) {
            json.writeStartObject();
            json.writeStringField("key", value.key());
            json.writeStringField("value", value.value());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void optionalString(JsonGenerator json, String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }
}
