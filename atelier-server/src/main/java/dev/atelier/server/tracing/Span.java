package dev.atelier.server.tracing;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One span of a trace's {@code traces.json}, in either schema MLflow writes ({@link TraceSpans}). Attribute values
 * are as stored: MLflow keeps each one JSON-encoded ({@code "\"CHAIN\""}), and {@link #inputs()}/{@link #outputs()}
 * are the {@code mlflow.spanInputs}/{@code mlflow.spanOutputs} attributes taken out of {@link #attributes()}.
 *
 * @param startNanos epoch nanoseconds
 * @param endNanos   epoch nanoseconds; equal to the start for a span that never ended
 */
public record Span(String spanId, Optional<String> parentId, String name, long startNanos, long endNanos, String status,
                   String statusMessage, String spanType, Optional<String> inputs, Optional<String> outputs,
                   Map<String, String> attributes, List<Event> events) {
    public Span {
        requireNonNull(spanId, "spanId is null");
        requireNonNull(parentId, "parentId is null");
        requireNonNull(name, "name is null");
        requireNonNull(status, "status is null");
        requireNonNull(statusMessage, "statusMessage is null");
        requireNonNull(spanType, "spanType is null");
        requireNonNull(inputs, "inputs is null");
        requireNonNull(outputs, "outputs is null");
        attributes = Map.copyOf(attributes);
        events = List.copyOf(events);
    }

    /** An event of a span, such as an exception with its type, message and stack trace. */
    public record Event(String name, long timeNanos, Map<String, String> attributes) {
        public Event {
            requireNonNull(name, "name is null");
            attributes = Map.copyOf(attributes);
        }
    }
}
