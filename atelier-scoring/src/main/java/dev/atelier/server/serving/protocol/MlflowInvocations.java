package dev.atelier.server.serving.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.api.mlmodel.Schema;
import dev.atelier.server.models.ModelInput;
import dev.atelier.server.models.ModelOutput;
import dev.atelier.server.models.Table;
import dev.atelier.server.models.Tensor;
import dev.atelier.server.models.Tensors;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * MLflow's scoring protocol, {@code POST /invocations} of {@code mlflow models serve}
 * (mlflow/pyfunc/scoring_server/__init__.py):
 * <ul>
 *   <li>{@code application/json}: an object with exactly one of {@code dataframe_split}
 *   ({@code {columns?, data, index?}}; without {@code columns} the rows are in the signature's
 *   column order), {@code dataframe_records} (a list of row objects), {@code instances} or
 *   {@code inputs} (see {@link JsonInputs}), and optionally {@code params} (an object); other keys
 *   are ignored, as MLflow ignores them;</li>
 *   <li>{@code text/csv}: a header row, then the rows.</li>
 * </ul>
 * A {@code charset} other than UTF-8 or any other content type parameter is refused, as MLflow
 * refuses it (MLflow answers 415 there; this class throws {@code BAD_REQUEST}). The answer is
 * {@code {"predictions": ...}}: a table as a list of row objects (pandas' {@code records}, what
 * MLflow writes for a DataFrame), one tensor as a nested list ({@code ndarray.tolist()}), several
 * tensors as an object of nested lists. Stateless and thread-safe.
 */
public final class MlflowInvocations {
    /** The request fields that carry the input, one of which a JSON request must have. */
    public static final List<String> FORMATS = List.of("dataframe_split", "dataframe_records", "instances", "inputs");

    private MlflowInvocations() {
    }

    /**
     * Parses an {@code /invocations} body and checks it against the model's signature ({@link SignatureCheck}).
     *
     * @param contentType the request's {@code Content-Type}, such as {@code application/json; charset=utf-8}
     * @throws AtelierException {@code BAD_REQUEST} for an unsupported content type, a body that is not
     *                          JSON or CSV, or not exactly one format field; {@code INVALID_PARAMETER_VALUE}
     *                          naming the field, column or tensor when the data do not fit the signature
     */
    public static MlflowRequest parse(byte[] body, String contentType, ModelSignature signature) {
        return switch (mediaType(contentType)) {
            case "application/json" -> parseJson(ProtocolJson.readObject(body, requiredFormat()), signature);
            case "text/csv" -> new MlflowRequest(CsvInput.parse(body, signature.inputs()), Map.of());
            default -> throw new AtelierException(ErrorCode.BAD_REQUEST, "This predictor only supports the following "
                    + "content types: [text/csv, application/json]. Got '" + contentType + "'.");
        };
    }

    /** The answer {@code {"predictions": ...}}. */
    public static byte[] writePredictions(ModelOutput output) {
        return ProtocolJson.write(generator -> {
            generator.writeStartObject();
            generator.writeFieldName("predictions");
            writePredictionsValue(generator, output);
            generator.writeEndObject();
        });
    }

    /** Whether a JSON request object is in MLflow's format (has one of {@link #FORMATS}). */
    static boolean isMlflowJson(Map<String, Object> body) {
        return FORMATS.stream().anyMatch(body::containsKey);
    }

    static MlflowRequest parseJson(Map<String, Object> body, ModelSignature signature) {
        List<String> formats = FORMATS.stream().filter(body::containsKey).toList();
        if (formats.size() != 1) {
            throw new AtelierException(ErrorCode.BAD_REQUEST, requiredFormat() + ". Received dictionary with input fields: "
                    + List.copyOf(body.keySet()));
        }
        Object params = body.get("params");
        Map<String, Object> parameters = params == null ? Map.of() : ProtocolJson.object(params, "'params'");
        String format = formats.getFirst();
        Object value = body.get(format);
        Optional<Schema> inputs = signature.inputs();
        ModelInput input = switch (format) {
            case "dataframe_split" -> dataframeSplit(ProtocolJson.object(value, "'dataframe_split'"), inputs);
            case "dataframe_records" -> {
                InputLayouts.Rows rows = JsonInputs.records(ProtocolJson.list(value, "'dataframe_records'"), format);
                yield SignatureCheck.fromRows(rows.columns(), rows.rows(), inputs);
            }
            default -> JsonInputs.fromValue(value, inputs, format);
        };
        return new MlflowRequest(input, parameters);
    }

    /** Writes what MLflow puts under {@code predictions}. */
    static void writePredictionsValue(JsonGenerator generator, ModelOutput output) throws IOException {
        switch (output) {
            case Table table -> {
                generator.writeStartArray();
                for (List<Object> row : table.rows()) {
                    generator.writeStartObject();
                    for (int i = 0; i < row.size(); i++) {
                        generator.writeFieldName(table.columns().get(i));
                        ProtocolJson.writeScalar(generator, row.get(i));
                    }
                    generator.writeEndObject();
                }
                generator.writeEndArray();
            }
            case Tensors tensors when tensors.tensors().size() == 1 -> TensorValues.writeNested(generator, tensors.tensors().getFirst());
            case Tensors tensors -> {
                generator.writeStartObject();
                for (Tensor tensor : tensors.tensors()) {
                    generator.writeFieldName(tensor.name());
                    TensorValues.writeNested(generator, tensor);
                }
                generator.writeEndObject();
            }
        }
    }

    /**
     * The media type of a {@code Content-Type}, lower-cased; refuses charsets other than UTF-8 and
     * other parameters as MLflow does. An empty content type is JSON.
     */
    static String mediaType(String contentType) {
        String[] parts = contentType.split(";");
        String media = parts[0].trim().toLowerCase(Locale.ROOT);
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            int equals = parameter.indexOf('=');
            String name = (equals < 0 ? parameter : parameter.substring(0, equals)).trim().toLowerCase(Locale.ROOT);
            String value = equals < 0 ? "" : parameter.substring(equals + 1).trim().replace("\"", "");
            if (!name.equals("charset")) {
                throw new AtelierException(ErrorCode.BAD_REQUEST, "Unrecognized content type parameters: " + name);
            }
            if (!value.equalsIgnoreCase("utf-8")) {
                throw new AtelierException(ErrorCode.BAD_REQUEST, "The scoring server only supports UTF-8, got charset " + value);
            }
        }
        return media.isEmpty() ? "application/json" : media;
    }

    static ModelInput dataframeSplit(Map<String, Object> split, Optional<Schema> inputs) {
        Object data = split.get("data");
        if (data == null) {
            throw AtelierException.invalidParameter("'dataframe_split' must have 'data': a list of rows");
        }
        List<Object> rows = ProtocolJson.list(data, "'dataframe_split.data'");
        Object columns = split.get("columns");
        if (columns == null) {
            return JsonInputs.fromValue(rows, inputs, "dataframe_split.data");
        }
        List<Object> names = ProtocolJson.list(columns, "'dataframe_split.columns'");
        List<String> columnNames = new ArrayList<>(names.size());
        for (Object name : names) {
            columnNames.add(name instanceof String text ? text : String.valueOf(name));
        }
        List<List<Object>> lines = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            lines.add(ProtocolJson.list(rows.get(i), "'dataframe_split.data' row " + i));
        }
        return SignatureCheck.fromRows(columnNames, lines, inputs);
    }

    private static String requiredFormat() {
        return "The input must be a JSON dictionary with exactly one of the input fields " + FORMATS;
    }
}
