package dev.atelier.server.tracing;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One OpenTelemetry span as MLflow keeps it in its tracking store: the OTLP {@code Span} message in protobuf JSON
 * ({@link #content()}: snake_case names, ids base64, times as numbers, as MLflow's server answers BatchGetTraces), and
 * the fields the server reads without parsing it. Immutable apart from {@code content}, which no one changes after
 * {@link OtlpSpans} builds it.
 *
 * @param traceId      the MLflow trace id: the span's {@code mlflow.traceRequestId} attribute, else {@code tr-} and the
 *                     OpenTelemetry trace id in hex, as MLflow's {@code Span.from_otel_proto} reads it
 * @param spanId       16 hex digits
 * @param parentSpanId 16 hex digits; empty for a root span
 * @param status       {@code UNSET}, {@code OK} or {@code ERROR}
 */
public record OtlpSpan(String traceId, String spanId, Optional<String> parentSpanId, String name, long startNanos,
                       long endNanos, String status, ObjectNode content) {
    public OtlpSpan {
        requireNonNull(traceId, "traceId is null");
        requireNonNull(spanId, "spanId is null");
        requireNonNull(parentSpanId, "parentSpanId is null");
        requireNonNull(name, "name is null");
        requireNonNull(status, "status is null");
        requireNonNull(content, "content is null");
    }

    public boolean isRoot() {
        return parentSpanId.isEmpty();
    }
}
