package dev.atelier.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of an API request, read as MLflow's server reads them: from the query string for
 * GET (and DELETE without a body), from the JSON body otherwise; a body must be sent as
 * {@code application/json} ({@link BodyMediaType}, 415 otherwise). Typed getters check the type of
 * each field and throw {@code INVALID_PARAMETER_VALUE} naming the field when it is wrong.
 *
 * <p>Lenient where MLflow clients need it: int64 fields are accepted as JSON numbers or strings
 * (the Java client sends strings), doubles also as {@code "NaN"}, {@code "Infinity"},
 * {@code "-Infinity"}, and a body that is a JSON string holding JSON is decoded twice (old clients).
 */
public final class ApiRequest {
    /** Bodies larger than this are refused; log-batch at MLflow's limits stays far below it. */
    static final int MAX_JSON_BODY_BYTES = 32 * 1024 * 1024;

    private static final String PARSED_ATTRIBUTE = "atelier.apiRequest";

    private final ObjectNode body;

    private ApiRequest(ObjectNode body) {
        this.body = body;
    }

    public static ApiRequest of(ObjectNode body) {
        return new ApiRequest(body);
    }

    /**
     * Reads the request's parameters from its query string or JSON body; read once per request and
     * kept, so that an authorization rule ({@link Route.Escalation}) and the handler see the same.
     */
    public static ApiRequest from(Context ctx) {
        return kept(ctx, () -> read(ctx));
    }

    /**
     * Reads a JSON route's body before its handler runs (the HTTP layer calls this for every route whose
     * {@link Route#body()} is {@link RequestBody#JSON}), so that a malformed body is refused on every such route.
     * A body over {@code maxBodyBytes} is refused with 413 {@code PAYLOAD_TOO_LARGE} before any of it is parsed,
     * by its {@code Content-Length} or, for a chunked body, after reading one byte past the limit.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE for a malformed body, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE
     */
    public static void read(Context ctx, int maxBodyBytes) {
        kept(ctx, () -> maxBodyBytes >= MAX_JSON_BODY_BYTES ? read(ctx) : readLimited(ctx, maxBodyBytes));
    }

    /** Whether the HTTP layer read this request's body as JSON already (its route is {@link RequestBody#JSON}). */
    static boolean bodyRead(Context ctx) {
        return ctx.attribute(PARSED_ATTRIBUTE) != null;
    }

    private static ApiRequest kept(Context ctx, java.util.function.Supplier<ApiRequest> reader) {
        Object kept = ctx.attribute(PARSED_ATTRIBUTE);
        if (kept == null) {
            try {
                kept = reader.get();
            } catch (AtelierException e) {
                kept = e;  // the body is consumed: a second reader gets the same refusal, not an empty request
            }
            ctx.attribute(PARSED_ATTRIBUTE, kept);
        }
        if (kept instanceof AtelierException refused) {
            throw refused;
        }
        return (ApiRequest) kept;
    }

    private static ApiRequest read(Context ctx) {
        if (ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD) {
            return fromQuery(ctx.queryParamMap());
        }
        return fromBody(ctx, readBody(ctx));
    }

    private static ApiRequest readLimited(Context ctx, int maxBodyBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw tooLarge(maxBodyBytes);
        }
        byte[] bytes;
        try (InputStream in = ctx.bodyInputStream()) {
            bytes = in.readNBytes(maxBodyBytes + 1);
        } catch (IOException e) {
            throw new AtelierException(dev.atelier.api.ErrorCode.BAD_REQUEST, "Could not read the request body: " + e.getMessage());
        }
        if (bytes.length > maxBodyBytes) {
            throw tooLarge(maxBodyBytes);
        }
        return fromBody(ctx, bytes);
    }

    private static AtelierException tooLarge(int maxBodyBytes) {
        return new AtelierException(dev.atelier.api.ErrorCode.PAYLOAD_TOO_LARGE, "The request body is larger than "
                + maxBodyBytes + " bytes, the limit of this route");
    }

    private static ApiRequest fromBody(Context ctx, byte[] bytes) {
        if (bytes.length == 0) {
            return fromQuery(ctx.queryParamMap());
        }
        BodyMediaType.JSON.require(ctx);
        if (isBlank(bytes)) {
            return fromQuery(ctx.queryParamMap());
        }
        return new ApiRequest(parseObject(bytes));
    }

    private static ApiRequest fromQuery(Map<String, List<String>> query) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        query.forEach((name, values) -> {
            if (values.size() == 1) {
                node.put(name, values.get(0));
            } else {
                values.forEach(value -> node.withArray(name).add(value));
            }
        });
        return new ApiRequest(node);
    }

    private static byte[] readBody(Context ctx) {
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] bytes = in.readNBytes(MAX_JSON_BODY_BYTES + 1);
            if (bytes.length > MAX_JSON_BODY_BYTES) {
                throw AtelierException.invalidParameter("Request body is larger than " + MAX_JSON_BODY_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new AtelierException(dev.atelier.api.ErrorCode.BAD_REQUEST, "Could not read the request body: " + e.getMessage());
        }
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    static ObjectNode parseObject(byte[] bytes) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(bytes);
            if (node != null && node.isTextual()) {
                node = Json.mapper().readTree(node.textValue());
            }
        } catch (JsonProcessingException e) {
            throw AtelierException.invalidParameter("Malformed JSON in request body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw AtelierException.invalidParameter("Could not read the request body: " + e.getMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw AtelierException.invalidParameter("Request body must be a JSON object, got " + (node == null ? "null" : describe(node)));
        }
        return object;
    }

    public ObjectNode json() {
        return body;
    }

    public boolean has(String field) {
        JsonNode node = body.get(field);
        return node != null && !node.isNull();
    }

    public String requiredString(String field) {
        return optionalString(field).orElseThrow(() -> missing(field));
    }

    public Optional<String> optionalString(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isTextual()) {
            return Optional.of(node.textValue());
        }
        if (node.isNumber() || node.isBoolean()) {
            return Optional.of(node.asText());
        }
        throw wrongType(field, node, "a string");
    }

    /** Reads the first present field of {@code fields} (MLflow sends some ids twice, under two names). */
    public String requiredStringOf(String... fields) {
        for (String field : fields) {
            Optional<String> value = optionalString(field);
            if (value.isPresent() && !value.get().isEmpty()) {
                return value.get();
            }
        }
        throw missing(fields[0]);
    }

    public long requiredLong(String field) {
        return optionalLong(field).orElseThrow(() -> missing(field));
    }

    public Optional<Long> optionalLong(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        return Optional.of(toLong(field, node));
    }

    public Optional<Integer> optionalInt(String field) {
        return optionalLong(field).map(value -> {
            if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
                throw AtelierException.invalidParameter("Invalid value " + value + " for parameter '" + field + "': out of range");
            }
            return value.intValue();
        });
    }

    public double requiredDouble(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            throw missing(field);
        }
        return toDouble(field, node);
    }

    public Optional<Boolean> optionalBoolean(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isBoolean()) {
            return Optional.of(node.booleanValue());
        }
        if (node.isTextual() && ("true".equalsIgnoreCase(node.textValue()) || "false".equalsIgnoreCase(node.textValue()))) {
            return Optional.of(Boolean.parseBoolean(node.textValue()));
        }
        throw wrongType(field, node, "a boolean");
    }

    /** A list of strings: a JSON array of strings, or one string (a query parameter given once). */
    public List<String> stringList(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isTextual()) {
            return List.of(node.textValue());
        }
        if (!node.isArray()) {
            throw wrongType(field, node, "an array of strings");
        }
        List<String> values = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            if (!element.isTextual() && !element.isNumber()) {
                throw wrongType(field, element, "an array of strings");
            }
            values.add(element.asText());
        }
        return values;
    }

    /** The objects of an array field; an absent field is an empty list. */
    public List<ApiRequest> objectList(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw wrongType(field, node, "an array");
        }
        List<ApiRequest> values = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            if (!(element instanceof ObjectNode object)) {
                throw wrongType(field, element, "an array of objects");
            }
            values.add(new ApiRequest(object));
        }
        return values;
    }

    public Optional<ApiRequest> optionalObject(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!(node instanceof ObjectNode object)) {
            throw wrongType(field, node, "an object");
        }
        return Optional.of(new ApiRequest(object));
    }

    public int arraySize(String field) {
        JsonNode node = body.get(field);
        return node != null && node.isArray() ? node.size() : 0;
    }

    static long toLong(String field, JsonNode node) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isFloatingPointNumber() && node.doubleValue() == Math.rint(node.doubleValue())
                && Math.abs(node.doubleValue()) < 9.0e18) {
            return (long) node.doubleValue();
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.textValue().trim());
            } catch (NumberFormatException e) {
                throw AtelierException.invalidParameter("Invalid value \"" + node.textValue()
                        + "\" for parameter '" + field + "' supplied: expected an integer");
            }
        }
        throw wrongType(field, node, "an integer");
    }

    static double toDouble(String field, JsonNode node) {
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            String text = node.textValue().trim();
            switch (text) {
                case "NaN", "nan":
                    return Double.NaN;
                case "Infinity", "inf", "+Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity", "-inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.parseDouble(text);
                    } catch (NumberFormatException e) {
                        throw AtelierException.invalidParameter("Invalid value \"" + text
                                + "\" for parameter '" + field + "' supplied: expected a number");
                    }
            }
        }
        throw wrongType(field, node, "a number");
    }

    static AtelierException missing(String field) {
        return AtelierException.invalidParameter("Missing value for required parameter '" + field
                + "'. See the API docs for more information about request parameters.");
    }

    static AtelierException wrongType(String field, JsonNode node, String expected) {
        return AtelierException.invalidParameter("Invalid value " + abbreviate(node.toString()) + " for parameter '"
                + field + "' supplied: expected " + expected + ", got " + describe(node));
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL, MISSING -> "null";
            case BINARY -> "binary data";
        };
    }

    private static String abbreviate(String text) {
        return text.length() > 100 ? text.substring(0, 100) + "..." : text;
    }
}
