package dev.atelier.server.serving.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Reading request bodies into plain Java values ({@link Map}, {@link List}, {@link String},
 * {@link Number}, {@link Boolean}, {@code null}) and writing answers with Jackson's streaming
 * generator, without an intermediate tree. Thread-safe.
 */
final class ProtocolJson {
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build());

    private ProtocolJson() {
    }

    /** What writes one answer. */
    @FunctionalInterface
    interface Writer {
        void write(JsonGenerator generator) throws IOException;
    }

    /**
     * The body as plain values.
     *
     * @throws AtelierException {@code BAD_REQUEST} when the body is not JSON
     */
    static Object read(byte[] body) {
        try {
            return MAPPER.readValue(body, Object.class);
        } catch (IOException e) {
            throw new AtelierException(ErrorCode.BAD_REQUEST, "the body is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    /**
     * The body as a JSON object.
     *
     * @throws AtelierException {@code BAD_REQUEST} when the body is not a JSON object
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> readObject(byte[] body, String expected) {
        Object value = read(body);
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new AtelierException(ErrorCode.BAD_REQUEST, expected + "; received " + describe(value));
    }

    /** A JSON object at the start of a body, and the number of bytes it takes. */
    record Prefix(Map<String, Object> value, int length) {
    }

    /**
     * The JSON object the body starts with, which binary data may follow (the Open Inference
     * Protocol's binary extension).
     *
     * @throws AtelierException {@code BAD_REQUEST} when the body does not start with a JSON object
     */
    @SuppressWarnings("unchecked")
    static Prefix readObjectPrefix(byte[] body, String expected) {
        try (JsonParser parser = MAPPER.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new AtelierException(ErrorCode.BAD_REQUEST, expected);
            }
            Map<String, Object> value = MAPPER.readValue(parser, Map.class);
            return new Prefix(value, Math.toIntExact(parser.currentLocation().getByteOffset()));
        } catch (IOException e) {
            throw new AtelierException(ErrorCode.BAD_REQUEST, "the body is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    static byte[] write(Writer writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = MAPPER.getFactory().createGenerator(out)) {
            writer.write(generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes a scalar as the JSON type it is; {@link Float} stays a float so that 0.1f reads as 0.1. */
    static void writeScalar(JsonGenerator generator, Object value) throws IOException {
        switch (value) {
            case null -> generator.writeNull();
            case String text -> generator.writeString(text);
            case Boolean bool -> generator.writeBoolean(bool);
            case Double number -> generator.writeNumber(number);
            case Float number -> generator.writeNumber(number);
            case Long number -> generator.writeNumber(number);
            case Integer number -> generator.writeNumber(number);
            case Short number -> generator.writeNumber(number);
            case Byte number -> generator.writeNumber(number);
            case BigInteger number -> generator.writeNumber(number);
            case BigDecimal number -> generator.writeNumber(number);
            case Number number -> generator.writeNumber(number.doubleValue());
            default -> generator.writeString(value.toString());
        }
    }

    /** A short description of a JSON value's kind, for error messages. */
    static String describe(Object value) {
        return switch (value) {
            case null -> "null";
            case Map<?, ?> map -> "an object with keys " + map.keySet();
            case List<?> list -> "a list of " + list.size();
            case String text -> "the string '" + abbreviate(text) + "'";
            case Boolean bool -> "the boolean " + bool;
            case Number number -> "the number " + number;
            default -> value.getClass().getSimpleName();
        };
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value, String what) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw AtelierException.invalidParameter(what + " must be a JSON object, got " + describe(value));
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value, String what) {
        if (value instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw AtelierException.invalidParameter(what + " must be a JSON list, got " + describe(value));
    }

    static String string(Object value, String what) {
        if (value instanceof String text) {
            return text;
        }
        throw AtelierException.invalidParameter(what + " must be a string, got " + describe(value));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
