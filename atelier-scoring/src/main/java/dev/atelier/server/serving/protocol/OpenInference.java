package dev.atelier.server.serving.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.atelier.api.AtelierException;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.server.models.ModelOutput;
import dev.atelier.server.models.Table;
import dev.atelier.server.models.Tensor;
import dev.atelier.server.models.TensorType;
import dev.atelier.server.models.Tensors;

import java.io.ByteArrayOutputStream;
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
 * column. The binary tensor data extension ({@code extension_binary_data.md}) is supported: inputs
 * with {@code parameters.binary_data_size} read their data from the bytes after the JSON header
 * (found by parsing, so no {@code Inference-Header-Content-Length} is needed), and outputs asked for
 * with {@code binary_data: true} (or the request's {@code binary_data_output: true}) are answered as
 * binary data after the response's JSON header ({@link #jsonHeaderLength}). Errors are {@link AtelierException}s whose message the router puts in {@code {"error": "..."}}.
 * Stateless and thread-safe.
 */
public final class OpenInference {
    private OpenInference() {
    }

    /**
     * Parses an inference request body and checks its inputs against the model's signature.
     *
     * @throws AtelierException {@code BAD_REQUEST} when the body does not start with a JSON object or its
     *                          binary data do not add up; {@code INVALID_PARAMETER_VALUE} naming the input for a
     *                          missing field, an unsupported datatype, data that do not fit the shape or
     *                          datatype, or inputs that do not fit the signature
     */
    public static InferRequest parseInfer(byte[] body, ModelSignature signature) {
        ProtocolJson.Prefix header = ProtocolJson.readObjectPrefix(body, "an inference request must be a JSON object with 'inputs'");
        Map<String, Object> json = header.value();
        Optional<String> id = json.get("id") == null ? Optional.empty() : Optional.of(ProtocolJson.string(json.get("id"), "'id'"));
        Map<String, Object> parameters = json.get("parameters") == null ? Map.of()
                : ProtocolJson.object(json.get("parameters"), "'parameters'");
        Object inputsValue = json.get("inputs");
        if (inputsValue == null) {
            throw AtelierException.invalidParameter("an inference request must have 'inputs': a list of tensors");
        }
        List<Object> inputs = ProtocolJson.list(inputsValue, "'inputs'");
        List<Tensor> tensors = new ArrayList<>(inputs.size());
        BinaryTensors.Section binary = new BinaryTensors.Section(body, header.length(), inputs);
        for (int i = 0; i < inputs.size(); i++) {
            tensors.add(tensor(ProtocolJson.object(inputs.get(i), "'inputs' item " + i), i, binary));
        }
        List<String> outputs = new ArrayList<>();
        Map<String, Boolean> binaryOutputs = new LinkedHashMap<>();
        if (json.get("outputs") != null) {
            List<Object> requested = ProtocolJson.list(json.get("outputs"), "'outputs'");
            for (int i = 0; i < requested.size(); i++) {
                Map<String, Object> output = ProtocolJson.object(requested.get(i), "'outputs' item " + i);
                String name = ProtocolJson.string(output.get("name"), "'outputs' item " + i + " 'name'");
                Object outputParameters = output.get("parameters");
                if (outputParameters != null && ProtocolJson.object(outputParameters, "output '" + name + "' 'parameters'")
                        .get("binary_data") instanceof Boolean binaryData) {
                    binaryOutputs.put(name, binaryData);
                }
                outputs.add(name);
            }
        }
        return new InferRequest(id, parameters, SignatureCheck.fromTensors(tensors, signature.inputs()), outputs, binaryOutputs,
                Boolean.TRUE.equals(parameters.get("binary_data_output")));
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
        List<byte[]> binary = new ArrayList<>();
        byte[] header = ProtocolJson.write(generator -> {
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
                byte[] data = request.binaryOutput(tensor.name()) ? BinaryTensors.encode(tensor) : null;
                writeTensor(generator, tensor, data);
                if (data != null) {
                    binary.add(data);
                }
            }
            generator.writeEndArray();
            generator.writeEndObject();
        });
        if (binary.isEmpty()) {
            return header;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(header.length + binary.stream().mapToInt(data -> data.length).sum());
        body.writeBytes(header);
        binary.forEach(body::writeBytes);
        return body.toByteArray();
    }

    /**
     * The length of the JSON header of an inference response that carries binary data
     * ({@link InferRequest#binaryResponse()}), for its {@code Inference-Header-Content-Length} header.
     */
    public static int jsonHeaderLength(byte[] responseBody) {
        return ProtocolJson.readObjectPrefix(responseBody, "an inference response starts with a JSON object").length();
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

    /** The protocol's platform name of a model of {@code flavor} (the metadata's {@code platform}). */
    public static String platform(String flavor) {
        return switch (flavor) {
            case "onnx" -> "onnxruntime_onnx";
            case "xgboost" -> "xgboost_json";
            default -> flavor;
        };
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

    private static Tensor tensor(Map<String, Object> input, int index, BinaryTensors.Section binary) {
        String name = ProtocolJson.string(input.get("name"), "'inputs' item " + index + " 'name'");
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
        long count = 1;
        for (long dimension : shape) {
            count = dimension == 0 || count <= Integer.MAX_VALUE / dimension ? count * dimension : Long.MAX_VALUE;
            if (count > Integer.MAX_VALUE) {
                throw AtelierException.invalidParameter("input '" + name + "' has shape " + shape + ", too many elements");
            }
        }
        long binarySize = BinaryTensors.Section.size(name, input);
        Object data = input.get("data");
        if (binarySize >= 0) {
            if (data != null) {
                throw AtelierException.invalidParameter("input '" + name + "' has both 'data' and 'binary_data_size'");
            }
            return binary.take(name, type, shape, Math.toIntExact(binarySize));
        }
        if (data == null) {
            throw AtelierException.invalidParameter("input '" + name + "' has no 'data'");
        }
        return TensorValues.fromData(name, data, shape, type);
    }

    /** Writes one output; with {@code binary} its size goes into {@code parameters} in place of {@code data}. */
    private static void writeTensor(JsonGenerator generator, Tensor tensor, byte[] binary) throws IOException {
        generator.writeStartObject();
        generator.writeStringField("name", tensor.name());
        generator.writeArrayFieldStart("shape");
        for (long dimension : tensor.shape()) {
            generator.writeNumber(dimension);
        }
        generator.writeEndArray();
        generator.writeStringField("datatype", tensor.type().name());
        if (binary == null) {
            generator.writeFieldName("data");
            TensorValues.writeFlat(generator, tensor.values());
        } else {
            generator.writeObjectFieldStart("parameters");
            generator.writeNumberField("binary_data_size", binary.length);
            generator.writeEndObject();
        }
        generator.writeEndObject();
    }
}
