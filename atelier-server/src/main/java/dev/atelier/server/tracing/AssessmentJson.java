package dev.atelier.server.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * MLflow 3's {@code Assessment} message (assessments.proto) in protobuf's JSON mapping: read from a request, naming
 * the field at fault ({@code assessment.<field>}), and written as MLflow's server writes it: times as RFC 3339 text,
 * {@code valid} always, unset fields left out. Thread-safe (stateless).
 */
final class AssessmentJson {
    /** AssessmentSource.SourceType; MLflow's client maps its deprecated AI_JUDGE to LLM_JUDGE before sending. */
    private static final Set<String> SOURCE_TYPES = Set.of("SOURCE_TYPE_UNSPECIFIED", "HUMAN", "LLM_JUDGE", "CODE");
    /** The fields of the message kept whole in {@link Assessment#body()}, in the order they are written. */
    private static final List<String> BODY_FIELDS = List.of("span_id", "source", "feedback", "expectation", "rationale", "error",
            "metadata");

    private AssessmentJson() {
    }

    /** What a CreateAssessment request says of its new assessment (id, trace and times are the service's). */
    record Sent(String name, Assessment.Kind kind, ObjectNode body, Optional<Long> createTimeMs, Optional<Long> lastUpdateTimeMs,
                Optional<String> overrides, boolean valid) {
    }

    /**
     * Reads the {@code assessment} of a CreateAssessment request.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE for a missing name, neither or both of feedback and expectation,
     *         an unknown source type, metadata that is not strings, a bad time
     */
    static Sent read(ApiRequest assessment) {
        String name = assessment.optionalString("assessment_name").filter(text -> !text.isEmpty())
                .orElseThrow(() -> AtelierException.invalidParameter("Missing value for required parameter 'assessment.assessment_name'"));
        Assessment.Kind kind = kind(assessment);
        ObjectNode body = Json.mapper().createObjectNode();
        assessment.optionalString("span_id").ifPresent(span -> body.put("span_id", span));
        assessment.optionalObject("source").ifPresent(source -> body.set("source", source(source)));
        body.set(kind.field(), value(assessment, kind));
        assessment.optionalString("rationale").ifPresent(rationale -> body.put("rationale", rationale));
        assessment.optionalObject("error").ifPresent(error -> body.set("error", error.json()));
        Map<String, String> metadata = metadata(assessment);
        if (!metadata.isEmpty()) {
            body.set("metadata", Json.mapper().valueToTree(metadata));
        }
        return new Sent(name, kind, body, time(assessment, "create_time"), time(assessment, "last_update_time"),
                assessment.optionalString("overrides").filter(id -> !id.isEmpty()), assessment.optionalBoolean("valid").orElse(true));
    }

    /** The one of {@code feedback} and {@code expectation} an assessment holds. */
    static Assessment.Kind kind(ApiRequest assessment) {
        boolean feedback = assessment.has("feedback");
        boolean expectation = assessment.has("expectation");
        if (feedback == expectation) {
            throw AtelierException.invalidParameter("Exactly one of 'assessment.feedback' and 'assessment.expectation' must be specified");
        }
        return feedback ? Assessment.Kind.FEEDBACK : Assessment.Kind.EXPECTATION;
    }

    /** The {@code feedback} or {@code expectation} object, as sent. */
    static ObjectNode value(ApiRequest assessment, Assessment.Kind kind) {
        return assessment.optionalObject(kind.field()).orElseThrow(() -> AtelierException.invalidParameter(
                "Missing value for required parameter 'assessment." + kind.field() + "'")).json();
    }

    /** A protobuf {@code map<string, string>}: a JSON object of strings. */
    static Map<String, String> metadata(ApiRequest assessment) {
        Map<String, String> values = new LinkedHashMap<>();
        assessment.optionalObject("metadata").ifPresent(object -> object.json().properties().forEach(entry -> {
            if (!entry.getValue().isTextual()) {
                throw AtelierException.invalidParameter("Invalid value for parameter 'assessment.metadata." + entry.getKey()
                        + "': expected a string");
            }
            values.put(entry.getKey(), entry.getValue().textValue());
        }));
        return values;
    }

    /**
     * The paths of a FieldMask: protobuf's JSON form (one string, comma-separated, in lowerCamelCase, which MLflow's
     * client sends) or {@code {"paths": [...]}}; returned in snake_case.
     */
    static List<String> updateMask(ApiRequest request) {
        JsonNode mask = request.json().get("update_mask");
        List<String> paths = new ArrayList<>();
        if (mask == null || mask.isNull()) {
            return paths;
        }
        List<String> raw = mask.isTextual() ? List.of(mask.textValue().split(","))
                : mask.isObject() ? ApiRequest.of((ObjectNode) mask).stringList("paths") : null;
        if (raw == null) {
            throw AtelierException.invalidParameter("Invalid value for parameter 'update_mask': expected a field mask such as "
                    + "\"assessmentName,feedback\"");
        }
        for (String path : raw) {
            if (!path.isBlank()) {
                paths.add(path.trim().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT));
            }
        }
        return paths;
    }

    /** An {@code Assessment} message. */
    static Map<String, Object> write(Assessment assessment) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("assessment_id", assessment.assessmentId());
        json.put("assessment_name", assessment.name());
        json.put("trace_id", assessment.traceId());
        copy(assessment.body(), "span_id", json);
        copy(assessment.body(), "source", json);
        json.put("create_time", TraceJson.timestamp(assessment.createTimeMs()));
        json.put("last_update_time", TraceJson.timestamp(assessment.lastUpdateTimeMs()));
        for (String field : BODY_FIELDS.subList(2, BODY_FIELDS.size())) {
            copy(assessment.body(), field, json);
        }
        assessment.overrides().ifPresent(overrides -> json.put("overrides", overrides));
        json.put("valid", assessment.valid());
        return json;
    }

    private static void copy(ObjectNode body, String field, Map<String, Object> json) {
        JsonNode value = body.get(field);
        if (value != null) {
            json.put(field, value);
        }
    }

    private static ObjectNode source(ApiRequest source) {
        String type = source.optionalString("source_type").orElse("SOURCE_TYPE_UNSPECIFIED");
        if (!SOURCE_TYPES.contains(type)) {
            throw AtelierException.invalidParameter("Invalid value '" + type + "' for parameter 'assessment.source.source_type': "
                    + "expected one of HUMAN, LLM_JUDGE, CODE");
        }
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("source_type", type);
        source.optionalString("source_id").ifPresent(id -> json.put("source_id", id));
        return json;
    }

    private static Optional<Long> time(ApiRequest assessment, String field) {
        return assessment.optionalString(field).map(text -> {
            try {
                return TraceJson.parseTimestamp(text);
            } catch (RuntimeException e) {
                throw AtelierException.invalidParameter("Invalid value '" + text + "' for parameter 'assessment." + field
                        + "': expected an RFC 3339 time such as 2025-01-01T00:00:00.123Z");
            }
        });
    }
}
