package dev.atelier.server.logging;

import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A named logger writing through {@link LogOutput}: the message, the event's key-value pairs (SLF4J's fluent
 * {@code addKeyValue}) and the thread's MDC become the line's fields. Thread-safe.
 */
final class AtelierLogger extends LegacyAbstractLogger implements LoggingEventAware {
    private static final long serialVersionUID = 1L;

    AtelierLogger(String name) {
        this.name = name;
    }

    private boolean enabled(Level level) {
        return level.toInt() >= LogOutput.threshold(name);
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
                                               Throwable throwable) {
        write(level, messagePattern, arguments, throwable, List.of());
    }

    @Override
    public void log(LoggingEvent event) {
        if (!enabled(event.getLevel())) {
            return;
        }
        List<KeyValuePair> pairs = event.getKeyValuePairs() == null ? List.of() : event.getKeyValuePairs();
        write(event.getLevel(), event.getMessage(), event.getArgumentArray(), event.getThrowable(), pairs);
    }

    private void write(Level level, String pattern, Object[] arguments, Throwable throwable, List<KeyValuePair> pairs) {
        var formatted = MessageFormatter.arrayFormat(pattern, arguments);
        Throwable error = throwable != null ? throwable : formatted.getThrowable();
        Map<String, Object> fields = new LinkedHashMap<>();
        Map<String, String> context = MDC.getCopyOfContextMap();
        if (context != null) {
            fields.putAll(context);
        }
        for (KeyValuePair pair : pairs) {
            fields.put(pair.key, pair.value);
        }
        LogOutput.write(new LogLine(System.currentTimeMillis(), level.name(), name, String.valueOf(formatted.getMessage()), fields,
                error == null ? null : stackTrace(error)));
    }

    private static String stackTrace(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString().stripTrailing();
    }
}
