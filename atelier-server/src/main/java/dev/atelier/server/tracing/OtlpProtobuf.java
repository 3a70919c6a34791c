package dev.atelier.server.tracing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.util.Base64;

/**
 * Reads an OTLP {@code ExportTraceServiceRequest} in protobuf's binary form (opentelemetry-proto's
 * collector/trace/v1/trace_service.proto and trace/v1/trace.proto, the body MLflow's span exporter and every
 * OpenTelemetry SDK send to {@code /v1/traces}) into its protobuf JSON: snake_case names, bytes base64, int64 numbers,
 * enums by name, fields at their default value left out (proto3). Unknown fields are skipped, as protobuf does. Only the
 * message tree is read with protobuf-java's wire reader; no generated classes. Thread-safe (stateless).
 */
final class OtlpProtobuf {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String[] SPAN_KINDS = {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
        "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"};
    private static final String[] STATUS_CODES = {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"};

    private OtlpProtobuf() {
    }

    /**
     * The request as {@code {"resource_spans": [{"resource", "scope_spans": [{"scope", "spans": [...]}]}]}}.
     *
     * @throws IOException when the bytes are not a protobuf message
     */
    static ObjectNode exportRequest(byte[] body) throws IOException {
        ObjectNode request = JSON.objectNode();
        CodedInputStream in = CodedInputStream.newInstance(body);
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                return request;
            }
            if (is(tag, 1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                request.withArray("resource_spans").add(resourceSpans(in.readBytes()));
            } else {
                in.skipField(tag);
            }
        }
    }

    private static ObjectNode resourceSpans(ByteString bytes) throws IOException {
        ObjectNode node = JSON.objectNode();
        CodedInputStream in = bytes.newCodedInput();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (field(tag)) {
                case 1 -> node.set("resource", attributed(in.readBytes()));
                case 2 -> node.withArray("scope_spans").add(scopeSpans(in.readBytes()));
                case 3 -> node.put("schema_url", in.readString());
                default -> in.skipField(tag);
            }
        }
        return node;
    }

    private static ObjectNode scopeSpans(ByteString bytes) throws IOException {
        ObjectNode node = JSON.objectNode();
        CodedInputStream in = bytes.newCodedInput();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (field(tag)) {
                case 1 -> node.set("scope", scope(in.readBytes()));
                case 2 -> node.withArray("spans").add(span(in.readBytes()));
                case 3 -> node.put("schema_url", in.readString());
                default -> in.skipField(tag);
            }
        }
        return node;
    }

    /** A Resource: attributes (1), dropped_attributes_count (2). */
    private static ObjectNode attributed(ByteString bytes) throws IOException {
        ObjectNode node = JSON.objectNode();
        CodedInputStream in = bytes.newCodedInput();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (field(tag)) {
                case 1 -> node.withArray("attributes").add(keyValue(in.readBytes()));
                case 2 -> putNonZero(node, "dropped_attributes_count", in.readUInt32());
                default -> in.skipField(tag);
            }
        }
        return node;
    }

    private static ObjectNode scope(ByteString bytes) throws IOException {
        ObjectNode node = JSON.objectNode();
        CodedInputStream in = bytes.newCodedInput();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (field(tag)) {
                case 1 -> putNonEmpty(node, "name", in.readString());
                case 2 -> putNonEmpty(node, "version", in.readString());
                case 3 -> node.withArray("attributes").add(keyValue(in.readBytes()));
                default -> in.skipField(tag);
            }
        }
        return node;
    }

    private static ObjectNode span(ByteString bytes) throws IOException {
        ObjectNode node = JSON.objectNode();
        CodedInputStream in = bytes.newCodedInput();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (field(tag)) {
                case 1 -> putBytes(node, "trace_id", in.readBytes());
                case 2 -> putBytes(node, "span_id", in.readBytes());
                case 3 -> putNonEmpty(node, "trace_state", in.readString());
                case 4 -> putBytes(node, "parent_span_id", in.readBytes());
                case 5 -> putNonEmpty(node, "name", in.readString());
                case 6 -> node.put("kind", name(SPAN_KINDS, in.readEnum()));
                case 7 -> putNonZero(node, "start_time_unix_nano", in.readFixed64());
                case 8 -> putNonZero(node, "end_time_unix_nano", in.readFixed64());
                case 9 -> node.withArray("attributes").add(keyValue(in.readBytes()));
                case 10 -> putNonZero(node, "dropped_attributes_count", in.readUInt32());
                case 11 -> node.withArray("events").add(event(in.readBytes()));
                case 12 -> putNonZero(node, "dropped_events_count", in.readUInt32());
                case 13 -> node.withArray("links").add(link(in.readBytes()));
                case 14 -> putNonZero(node, "dropped_links_count", in.readUInt32());
                case 15 -> node.set("status", status(in.readBytes()));
                case 16 -> putNonZero(node, "flags", Integer.toUnsignedLong(in.readFixed32()));
                default -> in.skipField(tag);
            }
        }
        if ("SPAN_KIND_UNSPECIFIED".equals(node.path("kind").asText())) {
            node.remove("kind");
        }
        return node;
    }

    private static ObjectNode event(ByteString bytes) throws IOException {
        ObjectNode node = JSON.objectNode();
        CodedInputStream in = bytes.newCodedInput();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (field(tag)) {
                case 1 -> putNonZero(node, "time_unix_nano", in.readFixed64());
                case 2 -> putNonEmpty(node, "name", in.readString());
                case 3 -> node.withArray("attributes").add(keyValue(in.readBytes()));
                case 4 -> putNonZero(node, "dropped_attributes_count", in.readUInt32());
                default -> in.skipField(tag);
            }
        }
        return node;
    }

    private static ObjectNode link(ByteString bytes) throws IOException {
        ObjectNode node = JSON.objectNode();
        CodedInputStream in = bytes.newCodedInput();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (field(tag)) {
                case 1 -> putBytes(node, "trace_id", in.readBytes());
                case 2 -> putBytes(node, "span_id", in.readBytes());
                case 3 -> putNonEmpty(node, "trace_state", in.readString());
                case 4 -> node.withArray("attributes").add(keyValue(in.readBytes()));
                case 5 -> putNonZero(node, "dropped_attributes_count", in.readUInt32());
                case 6 -> putNonZero(node, "flags", Integer.toUnsignedLong(in.readFixed32()));
                default -> in.skipField(tag);
            }
        }
        return node;
    }

    private static ObjectNode status(ByteString bytes) throws IOException {
        ObjectNode node = JSON.objectNode();
        CodedInputStream in = bytes.newCodedInput();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (field(tag)) {
                case 2 -> putNonEmpty(node, "message", in.readString());
                case 3 -> {
                    int code = in.readEnum();
                    if (code != 0) {
                        node.put("code", name(STATUS_CODES, code));
                    }
                }
                default -> in.skipField(tag);
            }
        }
        return node;
    }

    private static ObjectNode keyValue(ByteString bytes) throws IOException {
        ObjectNode node = JSON.objectNode();
        CodedInputStream in = bytes.newCodedInput();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (field(tag)) {
                case 1 -> node.put("key", in.readString());
                case 2 -> node.set("value", anyValue(in.readBytes()));
                default -> in.skipField(tag);
            }
        }
        return node;
    }

    /** AnyValue: a oneof, so the field that is set is written even at its default value. */
    private static ObjectNode anyValue(ByteString bytes) throws IOException {
        ObjectNode node = JSON.objectNode();
        CodedInputStream in = bytes.newCodedInput();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            node.removeAll();
            switch (field(tag)) {
                case 1 -> node.put("string_value", in.readString());
                case 2 -> node.put("bool_value", in.readBool());
                case 3 -> node.put("int_value", in.readInt64());
                case 4 -> node.put("double_value", in.readDouble());
                case 5 -> node.set("array_value", values(in.readBytes(), false));
                case 6 -> node.set("kvlist_value", values(in.readBytes(), true));
                case 7 -> node.put("bytes_value", Base64.getEncoder().encodeToString(in.readByteArray()));
                default -> in.skipField(tag);
            }
        }
        return node;
    }

    /** ArrayValue (values: AnyValue) or KeyValueList (values: KeyValue). */
    private static ObjectNode values(ByteString bytes, boolean keyValues) throws IOException {
        ObjectNode node = JSON.objectNode();
        ArrayNode values = JSON.arrayNode();
        CodedInputStream in = bytes.newCodedInput();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (field(tag) == 1) {
                values.add(keyValues ? keyValue(in.readBytes()) : anyValue(in.readBytes()));
            } else {
                in.skipField(tag);
            }
        }
        if (!values.isEmpty()) {
            node.set("values", values);
        }
        return node;
    }

    private static int field(int tag) {
        return WireFormat.getTagFieldNumber(tag);
    }

    private static boolean is(int tag, int field, int wireType) {
        return WireFormat.getTagFieldNumber(tag) == field && WireFormat.getTagWireType(tag) == wireType;
    }

    private static String name(String[] names, int value) {
        return value >= 0 && value < names.length ? names[value] : Integer.toString(value);
    }

    private static void putBytes(ObjectNode node, String field, ByteString bytes) {
        if (!bytes.isEmpty()) {
            node.put(field, Base64.getEncoder().encodeToString(bytes.toByteArray()));
        }
    }

    private static void putNonEmpty(ObjectNode node, String field, String value) {
        if (!value.isEmpty()) {
            node.put(field, value);
        }
    }

    private static void putNonZero(ObjectNode node, String field, long value) {
        if (value != 0) {
            node.put(field, value);
        }
    }
}
