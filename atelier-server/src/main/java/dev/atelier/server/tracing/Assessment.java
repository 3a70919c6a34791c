package dev.atelier.server.tracing;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One assessment of a trace (MLflow 3's assessments.proto): a feedback (a judge's, a person's or code's verdict) or an
 * expectation (the answer wanted). The server reads its name, kind, times and override chain; the rest of the message
 * ({@code span_id}, {@code source}, the {@code feedback} or {@code expectation} object, {@code rationale},
 * {@code metadata}, {@code error}) is {@code body}, kept and answered as the client sent it. The body is copied in and
 * must not be changed by callers.
 *
 * @param overrides the assessment this one supersedes (which is then not {@code valid})
 */
public record Assessment(String assessmentId, String traceId, String name, Kind kind, ObjectNode body, long createTimeMs,
                         long lastUpdateTimeMs, Optional<String> overrides, boolean valid) {
    /** Which of the proto's {@code value} oneof the assessment holds; its JSON field is {@link #field()}. */
    public enum Kind {
        FEEDBACK("feedback"), EXPECTATION("expectation");

        private final String field;

        Kind(String field) {
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    public Assessment {
        requireNonNull(assessmentId, "assessmentId is null");
        requireNonNull(traceId, "traceId is null");
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        body = requireNonNull(body, "body is null").deepCopy();
        requireNonNull(overrides, "overrides is null");
    }

    /** This assessment with another validity. */
    public Assessment withValid(boolean isValid) {
        return new Assessment(assessmentId, traceId, name, kind, body, createTimeMs, lastUpdateTimeMs, overrides, isValid);
    }
}
