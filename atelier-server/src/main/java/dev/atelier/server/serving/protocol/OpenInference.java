package dev.atelier.server.serving.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.server.models.ModelOutput;
import dev.atelier.server.models.Table;
import dev.atelier.server.models.Tensor;
import dev.atelier.server.models.TensorType;
import dev.atelier.server.models.Tensors;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Open Inference Protocol v2 over REST (https://github.com/kserve/open-inference-protocol,
 * {@code specification/protocol/inference_rest.md}) with JSON tensor data: inference requests and
 * responses, model metadata and server metadata. Tensor {@code data} is accepted flat or nested
 * (row-major), written flat. A column-based model takes one input per column or one
 * {@code [rows, columns]} input ({@link SignatureCheck}); its table answer becomes one output per
 * column. The binary tensor data extension is not supported: a request that uses it is refused.
 * Errors are {@link AtelierException}s whose message the router puts in {@code {"error": "..."}}.
 * Stateless and thread-safe.
 */
public final class OpenInference {
    private OpenInference() {
    }

    /**
     * Parses an inference request body and checks its inputs against the model's signature.
     *
     * @throws AtelierException {@code BAD_REQUEST} when the body is not a JSON object or uses the
     *                          binary extension; {@code INVALID_PARAMETER_VALUE} naming the input for a
     *                          missing field, an unsupported datatype, data that do not fit the shape or
     *                          datatype, or inputs that do not fit the signature
     */
    public static InferRequest parseInfer(byte[] body, ModelSignature signature) {
        Map<String, Object> json = ProtocolJson.readObject(body, "an inference request must be a JSON object with 'inputs'");
        Optional<String> id = json.get("id") == null ? Optional.empty() : Optional.of(ProtocolJson.string(json.get("id"), "'id'"));
        Map<String, Object> parameters = json.get("parameters") == null ? Map.of()
                : ProtocolJson.object(json.get("parameters"), "'parameters'");
        refuseBinary(parameters, "binary_data_output", "the request");
        Object inputsValue = json.get("inputs");
        if (inputsValue == null) {
            throw AtelierException.invalidParameter("an inference request must have 'inputs': a list of tensors");
        }
        List<Object> inputs = ProtocolJson.list(inputsValue, "'inputs'");
        List<Tensor> tensors = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            tensors.add(tensor(ProtocolJson.object(inputs.get(i), "'inputs' item " + i), i));
        }
        List<String> outputs = new ArrayList<>();
        if (json.get("outputs") != null) {
            List<Object> requested = ProtocolJson.list(json.get("outputs"), "'outputs'");
            for (int i = 0; i < requested.size(); i++) {
                Map<String, Object> output = ProtocolJson.object(requested.get(i), "'outputs' item " + i);
                String name = ProtocolJson.string(output.get("name"), "'outputs' item " + i + " 'name'");
                if (output.get("parameters") != null) {
                    refuseBinary(ProtocolJson.object(output.get("parameters"), "output '" + name + "' 'parameters'"),
                            "binary_data", "output '" + name + "'");
                }
                outputs.add(name);
            }
        }
        return new InferRequest(id, parameters, SignatureCheck.fromTensors(tensors, signature.inputs()), outputs);
    }

    /**
     * The inference response: {@code model_name}, {@code model_version} (when given), {@code id} (when
     * the request had one) and {@code outputs}, limited to and ordered as the request's {@code outputs}
     * when it named some.
     *
     * @throws AtelierException {@code INVALID_PARAMETER_VALUE} when the request asked for an output the model does not have
     */
    public static byte[] writeInferResponse(String modelName, Optional<String> modelVersion, InferRequest request, ModelOutput output) {
        List<Tensor> all = outputTensors(output);
        List<Tensor> chosen = all;
        if (!request.outputs().isEmpty()) {
            Map<String, Tensor> byName = new LinkedHashMap<>();
            all.forEach(tensor -> byName.put(tensor.name(), tensor));
            chosen = new ArrayList<>(request.outputs().size());
            for (String name : request.outputs()) {
                Tensor tensor = byName.get(name);
                if (tensor == null) {
                    throw AtelierException.invalidParameter("the request asks for output '" + name + "', the model's outputs are "
                            + byName.keySet());
                }
                chosen.add(tensor);
            }
        }
        List<Tensor> answer = chosen;
        return ProtocolJson.write(generator -> {
            generator.writeStartObject();
            generator.writeStringField("model_name", modelName);
            if (modelVersion.isPresent()) {
                generator.writeStringField("model_version", modelVersion.get());
            }
            if (request.id().isPresent()) {
                generator.writeStringField("id", request.id().get());
            }
            generator.writeArrayFieldStart("outputs");
            for (Tensor tensor : answer) {
                writeTensor(generator, tensor);
            }
            generator.writeEndArray();
            generator.writeEndObject();
        });
    }

    /**
     * The model metadata ({@code GET /v2/models/<name>}): {@code name}, {@code versions},
     * {@code platform}, and {@code inputs}/{@code outputs} with {@code name}, {@code datatype} and
     * {@code shape} ({@code -1} for a dimension of any size) from the signature
     * ({@link ProtocolMetadata#describe}).
     */
    public static byte[] modelMetadata(String name, List<String> versions, String platform, ModelSignature signature) {
        return ProtocolJson.write(generator -> {
            generator.writeStartObject();
            generator.writeStringField("name", name);
            generator.writeArrayFieldStart("versions");
            for (String version : versions) {
                generator.writeString(version);
            }
            generator.writeEndArray();
            generator.writeStringField("platform", platform);
            ProtocolMetadata.writeSpecs(generator, "inputs", ProtocolMetadata.describe(signature.inputs(), "input"));
            ProtocolMetadata.writeSpecs(generator, "outputs", ProtocolMetadata.describe(signature.outputs(), "output"));
            generator.writeEndObject();
        });
    }

    /** The server metadata ({@code GET /v2}): {@code name}, {@code version} and {@code extensions}. */
    public static byte[] serverMetadata(String name, String version, List<String> extensions) {
        return ProtocolJson.write(generator -> {
            generator.writeStartObject();
            generator.writeStringField("name", name);
            generator.writeStringField("version", version);
            generator.writeArrayFieldStart("extensions");
            for (String extension : extensions) {
                generator.writeString(extension);
            }
            generator.writeEndArray();
            generator.writeEndObject();
        });
    }

    /** The outputs of a prediction as tensors: a table gives one {@code [rows]} tensor per column. */
    static List<Tensor> outputTensors(ModelOutput output) {
        return switch (output) {
            case Tensors tensors -> tensors.tensors();
            case Table table -> {
                List<Tensor> columns = new ArrayList<>(table.columns().size());
                for (int column = 0; column < table.columns().size(); column++) {
                    List<Object> values = new ArrayList<>(table.rows().size());
                    for (List<Object> row : table.rows()) {
                        values.add(row.get(column));
                    }
                    columns.add(ProtocolMetadata.columnTensor(table.columns().get(column), values));
                }
                yield columns;
            }
        };
    }

    private static Tensor tensor(Map<String, Object> input, int index) {
        String name = ProtocolJson.string(input.get("name"), "'inputs' item " + index + " 'name'");
        if (input.get("parameters") != null) {
            refuseBinary(ProtocolJson.object(input.get("parameters"), "input '" + name + "' 'parameters'"), "binary_data_size",
                    "input '" + name + "'");
        }
        TensorType type = TensorType.fromProtocolName(ProtocolJson.string(input.get("datatype"), "input '" + name + "' 'datatype'"));
        List<Object> dimensions = ProtocolJson.list(input.get("shape"), "input '" + name + "' 'shape'");
        List<Long> shape = new ArrayList<>(dimensions.size());
        for (Object dimension : dimensions) {
            if (!(dimension instanceof Integer || dimension instanceof Long) || ((Number) dimension).longValue() < 0) {
                throw AtelierException.invalidParameter("input '" + name + "' 'shape' must be a list of non-negative integers, got "
                        + dimensions);
            }
            shape.add(((Number) dimension).longValue());
        }
        Object data = input.get("data");
        if (data == null) {
            throw AtelierException.invalidParameter("input '" + name + "' has no 'data'");
        }
        return TensorValues.fromData(name, data, shape, type);
    }

    private static void refuseBinary(Map<String, Object> parameters, String key, String where) {
        Object value = parameters.get(key);
        if (value != null && !Boolean.FALSE.equals(value)) {
            throw new AtelierException(ErrorCode.BAD_REQUEST, where + " uses the binary tensor data extension ('" + key
                    + "'), which this server does not support: send the tensor data as JSON");
        }
    }

    private static void writeTensor(JsonGenerator generator, Tensor tensor) throws IOException {
        generator.writeStartObject();
        generator.writeStringField("name", tensor.name());
        generator.writeArrayFieldStart("shape");
        for (long dimension : tensor.shape()) {
            generator.writeNumber(dimension);
        }
        generator.writeEndArray();
        generator.writeStringField("datatype", tensor.type().name());
        generator.writeFieldName("data");
        TensorValues.writeFlat(generator, tensor.values());
        generator.writeEndObject();
    }
}
