package dev.atelier.server.logging;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One log line as written: time (ms since the epoch), level, logger name, message with its arguments filled in, the
 * event's key-value pairs and the thread's MDC (request fields), and the exception's stack trace or null.
 */
public record LogLine(long epochMillis, String level, String logger, String message, Map<String, Object> fields, String throwable) {
    public LogLine {
        requireNonNull(level, "level is null");
        requireNonNull(logger, "logger is null");
        requireNonNull(message, "message is null");
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }
}
