package dev.atelier.server.serving;

import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.server.models.ModelRuntime;
import dev.atelier.server.serving.protocol.OpenInference;
import dev.atelier.server.serving.protocol.ScoringCall;
import dev.atelier.server.serving.protocol.ScoringCodecs;
import dev.atelier.server.serving.protocol.ScoringResponse;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A no-code deployment: the model loaded in this JVM by its {@link ModelRuntime} (ONNX, XGBoost,
 * Tribuo), answering every protocol with the codecs of {@code serving.protocol}. Each request is
 * parsed, checked against the model's signature, predicted and written on the caller's thread.
 */
final class JvmBackend implements DeploymentBackend {
    private final ModelRuntime runtime;
    private final ModelSignature signature;
    private final String modelName;
    private final String modelVersion;

    JvmBackend(ModelRuntime runtime, String modelName, String modelVersion) {
        this.runtime = requireNonNull(runtime, "runtime is null");
        this.signature = runtime.signature();
        this.modelName = requireNonNull(modelName, "modelName is null");
        this.modelVersion = requireNonNull(modelVersion, "modelVersion is null");
    }

    @Override
    public ScoringResponse score(ScoringCall call) {
        return ScoringCodecs.answer(call, signature, runtime::predict, Optional.of(modelVersion));
    }

    /** The Open Inference Protocol's platform name of the runtime. */
    String platform() {
        return OpenInference.platform(runtime.flavor());
    }

    @Override
    public boolean ready() {
        return true;
    }

    @Override
    public Optional<ModelSignature> signature() {
        return Optional.of(signature);
    }

    @Override
    public List<String> logs(int tail) {
        return List.of("Loaded model " + modelName + " version " + modelVersion + " in the server's JVM with the " + runtime.flavor()
                + " runtime");
    }

    @Override
    public void close() {
        runtime.close();
    }
}
