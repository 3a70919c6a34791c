package dev.atelier.server.serving.protocol;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.server.models.ModelInput;
import dev.atelier.server.models.ModelOutput;

import java.util.List;
import java.util.Map;

/**
 * Azure ML's {@code POST <endpoint>/score} for no-code (MLflow model) deployments. The body is one of:
 * <ul>
 *   <li>{@code {"data": ...}}: rows of values in the signature's column order ({@code [[1.0, 2.0], ...]}),
 *   a list of row objects, an object of named columns or tensors, or the nested list of a one-tensor
 *   model (the shapes of {@link JsonInputs});</li>
 *   <li>{@code {"input_data": ...}}, the form of Azure's MLflow deployments: {@code {"columns"?,
 *   "index"?, "data"}} (pandas' split orientation), or any shape {@code data} takes;</li>
 *   <li>MLflow's own request ({@code dataframe_split}, {@code dataframe_records}, {@code instances},
 *   {@code inputs}, or {@code text/csv}), parsed by {@link MlflowInvocations}.</li>
 * </ul>
 * An optional {@code params} object rides along. The answer to {@code data} and {@code input_data}
 * is the bare JSON list of predictions (a table's rows as objects, a tensor as a nested list, several
 * tensors as an object of nested lists), which is what Azure's MLflow scoring answers; a request in
 * MLflow's format gets MLflow's answer {@code {"predictions": ...}}. Stateless and thread-safe.
 */
public final class AzureScore {
    private AzureScore() {
    }

    /**
     * Parses a {@code /score} body and checks it against the model's signature.
     *
     * @param contentType the request's {@code Content-Type}; empty is taken as JSON
     * @throws AtelierException {@code BAD_REQUEST} when the body is not one of the forms above,
     *                          {@code INVALID_PARAMETER_VALUE} naming the column or tensor that does not fit
     */
    public static AzureRequest parse(byte[] body, String contentType, ModelSignature signature) {
        String media = MlflowInvocations.mediaType(contentType);
        if (media.equals("text/csv")) {
            MlflowRequest request = MlflowInvocations.parse(body, contentType, signature);
            return new AzureRequest(request.input(), request.params(), AzureRequest.Answer.MLFLOW);
        }
        if (!media.equals("application/json")) {
            throw new AtelierException(ErrorCode.BAD_REQUEST, "/score takes application/json or text/csv, got '" + contentType + "'");
        }
        Map<String, Object> json = ProtocolJson.readObject(body, expected());
        boolean data = json.containsKey("data");
        boolean inputData = json.containsKey("input_data");
        if (!data && !inputData) {
            if (MlflowInvocations.isMlflowJson(json)) {
                MlflowRequest request = MlflowInvocations.parseJson(json, signature);
                return new AzureRequest(request.input(), request.params(), AzureRequest.Answer.MLFLOW);
            }
            throw new AtelierException(ErrorCode.BAD_REQUEST, expected() + "; received an object with keys " + json.keySet());
        }
        if (data && inputData) {
            throw new AtelierException(ErrorCode.BAD_REQUEST, "send either 'data' or 'input_data', not both");
        }
        Object params = json.get("params");
        Map<String, Object> parameters = params == null ? Map.of() : ProtocolJson.object(params, "'params'");
        ModelInput input;
        if (data) {
            input = JsonInputs.fromValue(json.get("data"), signature.inputs(), "data");
        } else if (json.get("input_data") instanceof Map<?, ?> split && split.containsKey("data")) {
            input = MlflowInvocations.dataframeSplit(ProtocolJson.object(split, "'input_data'"), signature.inputs());
        } else {
            input = JsonInputs.fromValue(json.get("input_data"), signature.inputs(), "input_data");
        }
        return new AzureRequest(input, parameters, AzureRequest.Answer.PREDICTIONS_LIST);
    }

    /** The answer to {@code request}: a JSON list of predictions, or MLflow's {@code {"predictions": ...}}. */
    public static byte[] writeAnswer(AzureRequest request, ModelOutput output) {
        return switch (request.answer()) {
            case MLFLOW -> MlflowInvocations.writePredictions(output);
            case PREDICTIONS_LIST -> ProtocolJson.write(generator -> MlflowInvocations.writePredictionsValue(generator, output));
        };
    }

    private static String expected() {
        return "the /score body must be a JSON object with 'data' (rows in the signature's column order, row objects or "
                + "named columns), 'input_data' ({\"columns\", \"index\", \"data\"}) or one of MLflow's fields "
                + List.copyOf(MlflowInvocations.FORMATS);
    }
}
