package dev.atelier.server.tracing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.http.Json;

import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * MLflow 3's trace assessments (CreateAssessment, GetAssessmentRequest, UpdateAssessment, DeleteAssessment), as
 * MLflow's SQL store keeps them: the trace must exist (RESOURCE_DOES_NOT_EXIST); a new assessment gets the id
 * {@code a-} and 32 hex digits and keeps the times its client sent (now otherwise); one that {@code overrides} another
 * makes that one not valid until it is itself deleted; an update may change the name, the feedback or expectation
 * (never one into the other), the rationale, and merges metadata; deleting is idempotent. Thread-safe.
 */
public final class AssessmentService {
    /** The fields an UpdateAssessment's {@code update_mask} may name. */
    private static final List<String> UPDATABLE = List.of("assessment_name", "feedback", "expectation", "rationale", "metadata");

    private final AssessmentStore store;
    private final TraceService traces;
    private final Clock clock;

    public AssessmentService(AssessmentStore store, TraceService traces, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.traces = requireNonNull(traces, "traces is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Creates the assessment a CreateAssessment request describes on trace {@code traceId}.
     *
     * @throws AtelierException RESOURCE_DOES_NOT_EXIST for a missing trace or overridden assessment,
     *         INVALID_PARAMETER_VALUE for a malformed assessment
     */
    public Assessment create(String workspace, String traceId, ApiRequest request) {
        AssessmentJson.Sent sent = AssessmentJson.read(request);
        traces.get(workspace, traceId);
        long created = sent.createTimeMs().orElseGet(clock::millis);
        Assessment assessment = new Assessment("a-" + HexFormat.of().formatHex(uuidBytes()), traceId, sent.name(), sent.kind(),
                sent.body(), created, sent.lastUpdateTimeMs().orElse(created), sent.overrides(), sent.valid());
        if (!store.create(workspace, assessment)) {
            throw notFound(sent.overrides().orElseThrow(), traceId);
        }
        return assessment;
    }

    /** @throws AtelierException RESOURCE_DOES_NOT_EXIST when the trace has no such assessment */
    public Assessment get(String workspace, String traceId, String assessmentId) {
        return store.get(workspace, traceId, assessmentId).orElseThrow(() -> notFound(assessmentId, traceId));
    }

    /** The assessments of these traces, oldest first; a trace without any has none in the map. */
    public Map<String, List<Assessment>> forTraces(String workspace, List<String> traceIds) {
        return store.forTraces(workspace, traceIds);
    }

    /**
     * Applies the fields of {@code request}'s {@code assessment} that {@code paths} (an update mask in snake_case) name.
     *
     * @throws AtelierException RESOURCE_DOES_NOT_EXIST for a missing assessment, INVALID_PARAMETER_VALUE for a path
     *         that cannot be updated, an empty name, or a feedback given to an expectation (or the reverse)
     */
    public Assessment update(String workspace, String traceId, String assessmentId, ApiRequest request, List<String> paths) {
        Assessment existing = get(workspace, traceId, assessmentId);
        String name = existing.name();
        Assessment.Kind kind = existing.kind();
        ObjectNode body = existing.body().deepCopy();
        for (String path : paths) {
            switch (path) {
                case "assessment_name" -> name = request.optionalString("assessment_name").filter(text -> !text.isEmpty())
                        .orElseThrow(() -> AtelierException.invalidParameter("Missing value for parameter 'assessment.assessment_name'"));
                case "feedback", "expectation" -> {
                    Assessment.Kind sent = path.equals("feedback") ? Assessment.Kind.FEEDBACK : Assessment.Kind.EXPECTATION;
                    if (sent != kind) {
                        throw AtelierException.invalidParameter("Cannot update assessment '" + assessmentId + "' with "
                                + (sent == Assessment.Kind.FEEDBACK ? "a feedback: it is an expectation" : "an expectation: it is a feedback"));
                    }
                    body.set(kind.field(), AssessmentJson.value(request, kind));
                }
                case "rationale" -> {
                    Optional<String> rationale = request.optionalString("rationale");
                    if (rationale.isPresent()) {
                        body.put("rationale", rationale.get());
                    } else {
                        body.remove("rationale");
                    }
                }
                case "metadata" -> {
                    Map<String, String> merged = new LinkedHashMap<>();
                    Optional.ofNullable(body.get("metadata")).ifPresent(old -> old.properties()
                            .forEach(entry -> merged.put(entry.getKey(), entry.getValue().asText())));
                    merged.putAll(AssessmentJson.metadata(request));
                    if (!merged.isEmpty()) {
                        body.set("metadata", Json.mapper().valueToTree(merged));
                    }
                }
                default -> throw AtelierException.invalidParameter("Invalid value '" + path + "' for parameter 'update_mask': "
                        + "an assessment's updatable fields are " + String.join(", ", UPDATABLE));
            }
        }
        Assessment updated = new Assessment(assessmentId, traceId, name, kind, body, existing.createTimeMs(), clock.millis(),
                existing.overrides(), existing.valid());
        store.update(workspace, updated);
        return updated;
    }

    /** Deletes an assessment if the trace has it; the assessment it overrode is valid again. */
    public void delete(String workspace, String traceId, String assessmentId) {
        store.delete(workspace, traceId, assessmentId);
    }

    private static byte[] uuidBytes() {
        UUID uuid = UUID.randomUUID();
        return java.nio.ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array();
    }

    private static AtelierException notFound(String assessmentId, String traceId) {
        return AtelierException.notFound("Assessment with ID '" + assessmentId + "' not found for trace '" + traceId + "'");
    }
}
