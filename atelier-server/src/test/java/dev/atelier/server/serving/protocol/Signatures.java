package dev.atelier.server.serving.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.api.mlmodel.ColumnSpec;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.api.mlmodel.Schema;
import dev.atelier.api.mlmodel.TensorSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** Signatures and JSON helpers the protocol tests share. */
final class Signatures {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Columns {@code x0} double, {@code x1} long (required) and {@code note} string (optional). */
    static final ModelSignature COLUMNS = ModelSignature.of(
            Schema.of(ColumnSpec.of("x0", "double"), ColumnSpec.of("x1", "long"),
                    new ColumnSpec(Optional.of("note"), "string", false, Map.of())),
            Schema.of(ColumnSpec.of("label", "string")));

    /** Columns {@code x0} double and {@code x1} long, both required. */
    static final ModelSignature TWO_COLUMNS = ModelSignature.of(Schema.of(ColumnSpec.of("x0", "double"), ColumnSpec.of("x1", "long")),
            Schema.of(ColumnSpec.of("label", "string")));

    /** One float32 tensor {@code features} of shape [-1, 2]. */
    static final ModelSignature TENSOR = ModelSignature.of(
            Schema.of(TensorSpec.of("features", "float32", -1, 2)),
            Schema.of(TensorSpec.of("scores", "float32", -1, 2)));

    /** Two named tensors {@code a} int64 [-1] and {@code b} float64 [-1, 3]. */
    static final ModelSignature TWO_TENSORS = ModelSignature.of(
            Schema.of(TensorSpec.of("a", "int64", -1), TensorSpec.of("b", "float64", -1, 3)),
            Schema.of(TensorSpec.of("out", "float64", -1)));

    private Signatures() {
    }

    static byte[] bytes(String json) {
        return json.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
