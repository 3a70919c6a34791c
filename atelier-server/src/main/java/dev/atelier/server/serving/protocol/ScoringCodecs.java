package dev.atelier.server.serving.protocol;

import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.server.models.ModelInput;
import dev.atelier.server.models.ModelOutput;
import dev.atelier.server.serving.ScoringCall;
import dev.atelier.server.serving.ScoringResponse;

import java.util.Optional;
import java.util.function.Function;

/**
 * One scoring call answered by an in-JVM model in the protocol it came in: parse and check the body
 * against the signature, predict, write the answer. This is all a no-code deployment backend needs;
 * inference {@code params} are parsed (and refused when malformed) but not passed to the model, since
 * the Java-native runtimes take none. Stateless and thread-safe when {@code model} is.
 */
public final class ScoringCodecs {
    private ScoringCodecs() {
    }

    /**
     * @param signature    the model's signature ({@link dev.atelier.server.models.ModelRuntime#signature()})
     * @param model        the prediction, such as {@code runtime::predict}
     * @param modelVersion the Open Inference Protocol's {@code model_version}, when known
     * @throws dev.atelier.api.AtelierException a 4xx code naming the problem when the body does not fit;
     *                                          whatever {@code model} throws passes through
     */
    public static ScoringResponse answer(ScoringCall call, ModelSignature signature, Function<ModelInput, ModelOutput> model,
                                         Optional<String> modelVersion) {
        byte[] body = switch (call.protocol()) {
            case MLFLOW_INVOCATIONS -> {
                MlflowRequest request = MlflowInvocations.parse(call.body(), call.contentType(), signature);
                yield MlflowInvocations.writePredictions(model.apply(request.input()));
            }
            case AZURE_SCORE -> {
                AzureRequest request = AzureScore.parse(call.body(), call.contentType(), signature);
                yield AzureScore.writeAnswer(request, model.apply(request.input()));
            }
            case OPEN_INFERENCE -> {
                InferRequest request = OpenInference.parseInfer(call.body(), signature);
                yield OpenInference.writeInferResponse(call.modelName(), modelVersion, request, model.apply(request.input()));
            }
        };
        return ScoringResponse.json(body);
    }
}
