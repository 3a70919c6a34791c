package dev.atelier.server.logging;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonFactory;
import org.slf4j.event.Level;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Where and how the server's log lines go ({@link AtelierLoggingProvider}): standard error, as text or JSON
 * ({@link #format(LogFormat)}, set by {@code --log-format} before the server starts), with levels per logger name prefix
 * read like slf4j-simple's: {@code simplelogger.properties} on the class path, then system properties
 * {@code org.slf4j.simpleLogger.defaultLogLevel} and {@code org.slf4j.simpleLogger.log.<name>=trace|debug|info|warn|error|off}
 * (so {@code -Dorg.slf4j.simpleLogger.log.atelier.access=off} turns the access log off). Listeners see every line
 * written (tests capture lines with them). Thread-safe; a line is written with one call.
 */
public final class LogOutput {
    private static final String PREFIX = "org.slf4j.simpleLogger.log.";
    private static final DateTimeFormatter TEXT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();
    private static final Properties SETTINGS = load();
    private static final Map<String, Integer> LEVELS = new ConcurrentHashMap<>();
    private static final List<Consumer<LogLine>> LISTENERS = new CopyOnWriteArrayList<>();
    /** Above every level: nothing is written. */
    static final int OFF = Integer.MAX_VALUE;
    private static volatile LogFormat format = "json".equalsIgnoreCase(System.getProperty("atelier.log.format"))
            ? LogFormat.JSON : LogFormat.TEXT;

    private LogOutput() {
    }

    /** Writes every line from now on as {@code newFormat}. */
    public static void format(LogFormat newFormat) {
        format = java.util.Objects.requireNonNull(newFormat, "newFormat is null");
    }

    public static LogFormat format() {
        return format;
    }

    /** Calls {@code listener} with every line written until the returned handle is closed. */
    public static Listening listen(Consumer<LogLine> listener) {
        LISTENERS.add(listener);
        return () -> LISTENERS.remove(listener);
    }

    /** A listener's registration; {@link #close} removes it. */
    @FunctionalInterface
    public interface Listening extends AutoCloseable {
        @Override
        void close();
    }

    /** The least level (as {@link Level#toInt()}) {@code logger} writes. */
    static int threshold(String logger) {
        return LEVELS.computeIfAbsent(logger, LogOutput::configuredThreshold);
    }

    private static int configuredThreshold(String logger) {
        String name = logger;
        while (true) {
            String value = setting(PREFIX + name);
            if (value != null) {
                return level(value);
            }
            int dot = name.lastIndexOf('.');
            if (dot < 0) {
                break;
            }
            name = name.substring(0, dot);
        }
        String fallback = setting("org.slf4j.simpleLogger.defaultLogLevel");
        return level(fallback == null ? "info" : fallback);
    }

    private static String setting(String key) {
        String value = System.getProperty(key);
        return value != null ? value : SETTINGS.getProperty(key);
    }

    private static int level(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.TRACE.toInt();
            case "debug" -> Level.DEBUG.toInt();
            case "warn" -> Level.WARN.toInt();
            case "error" -> Level.ERROR.toInt();
            case "off" -> OFF;
            default -> Level.INFO.toInt();
        };
    }

    static void write(LogLine line) {
        PrintStream err = System.err;
        String text = format == LogFormat.JSON ? json(line) : text(line);
        err.println(text);
        for (Consumer<LogLine> listener : LISTENERS) {
            listener.accept(line);
        }
    }

    private static String text(LogLine line) {
        StringBuilder text = new StringBuilder(TEXT_TIME.format(Instant.ofEpochMilli(line.epochMillis()))).append(' ')
                .append(line.level()).append(' ').append(line.logger().substring(line.logger().lastIndexOf('.') + 1))
                .append(" - ").append(line.message());
        line.fields().forEach((key, value) -> text.append(' ').append(key).append('=').append(value));
        if (line.throwable() != null) {
            text.append(System.lineSeparator()).append(line.throwable());
        }
        return text.toString();
    }

    /** One JSON object: ts (ISO-8601 UTC), level, logger, msg, the fields, error (the stack trace) when there is one. */
    static String json(LogLine line) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("ts", Instant.ofEpochMilli(line.epochMillis()).toString());
            json.writeStringField("level", line.level());
            json.writeStringField("logger", line.logger());
            json.writeStringField("msg", line.message());
            for (Map.Entry<String, Object> field : line.fields().entrySet()) {
                if (field.getValue() instanceof Number number) {
                    json.writeFieldName(field.getKey());
                    json.writeNumber(number.toString());
                } else {
                    json.writeStringField(field.getKey(), String.valueOf(field.getValue()));
                }
            }
            if (line.throwable() != null) {
                json.writeStringField("error", line.throwable());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }

    /** {@code text} or {@code json}. */
    public static LogFormat parseFormat(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "json" -> LogFormat.JSON;
            case "text" -> LogFormat.TEXT;
            default -> throw new IllegalArgumentException("unknown log format '" + value + "': use text or json");
        };
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = LogOutput.class.getClassLoader().getResourceAsStream("simplelogger.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // defaults: info for every logger
        }
        return properties;
    }
}
