package dev.atelier.server.serving.protocol;

import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.server.models.ModelInput;
import dev.atelier.server.models.ModelOutput;

import java.util.Optional;
import java.util.function.Function;

/**
 * One scoring call answered by an in-JVM model in the protocol it came in: parse and check the body
 * against the signature, predict, write the answer. This is all a no-code deployment backend needs;
 * inference {@code params} are parsed (and refused when malformed) but not passed to the model, since
 * the Java-native runtimes take none. Stateless and thread-safe when {@code model} is.
 */
public final class ScoringCodecs {
    /**
     * The content type of an Open Inference response with binary outputs; the router adds the
     * {@code Inference-Header-Content-Length} header, {@link OpenInference#jsonHeaderLength} of the body.
     */
    public static final String BINARY = "application/octet-stream";

    private ScoringCodecs() {
    }

    /**
     * @param signature    the model's signature ({@link dev.atelier.server.models.ModelRuntime#signature()})
     * @param model        the prediction, such as {@code runtime::predict}
     * @param modelVersion the Open Inference Protocol's {@code model_version}, when known
     * @return a JSON answer, or for an Open Inference request asking for binary outputs a
     *         {@link #BINARY} one whose JSON header {@link OpenInference#jsonHeaderLength} measures
     * @throws dev.atelier.api.AtelierException a 4xx code naming the problem when the body does not fit;
     *                                          whatever {@code model} throws passes through
     */
    public static ScoringResponse answer(ScoringCall call, ModelSignature signature, Function<ModelInput, ModelOutput> model,
                                         Optional<String> modelVersion) {
        return switch (call.protocol()) {
            case MLFLOW_INVOCATIONS -> {
                MlflowRequest request = MlflowInvocations.parse(call.body(), call.contentType(), signature);
                yield ScoringResponse.json(MlflowInvocations.writePredictions(model.apply(request.input())));
            }
            case AZURE_SCORE -> {
                AzureRequest request = AzureScore.parse(call.body(), call.contentType(), signature);
                yield ScoringResponse.json(AzureScore.writeAnswer(request, model.apply(request.input())));
            }
            case OPEN_INFERENCE -> {
                InferRequest request = OpenInference.parseInfer(call.body(), signature);
                byte[] body = OpenInference.writeInferResponse(call.modelName(), modelVersion, request, model.apply(request.input()));
                yield request.binaryResponse() ? new ScoringResponse(200, BINARY, body) : ScoringResponse.json(body);
            }
        };
    }
}
