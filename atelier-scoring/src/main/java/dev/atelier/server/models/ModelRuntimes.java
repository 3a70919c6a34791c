package dev.atelier.server.models;

import dev.atelier.api.AtelierException;
import dev.atelier.api.mlmodel.MlModel;
import dev.atelier.api.mlmodel.MlModelDirectory;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The flavors this server can load in the JVM and their {@link ModelRuntimeFactory}. A model with
 * several such flavors is loaded by the first factory in this registry's order
 * ({@link #standard()}: tribuo, xgboost, onnx, atelier_automl). Thread-safe.
 */
public final class ModelRuntimes {
    private final Map<String, ModelRuntimeFactory> factories = new LinkedHashMap<>();

    public ModelRuntimes(List<ModelRuntimeFactory> factories) {
        for (ModelRuntimeFactory factory : requireNonNull(factories, "factories is null")) {
            if (this.factories.putIfAbsent(factory.flavor(), factory) != null) {
                throw new IllegalArgumentException("two runtimes for flavor " + factory.flavor());
            }
        }
    }

    /** Tribuo, XGBoost, ONNX and AutoML pipelines ({@code atelier_automl}). */
    public static ModelRuntimes standard() {
        return new ModelRuntimes(List.of(new TribuoModelRuntime.Factory(), new XgboostModelRuntime.Factory(),
                new OnnxModelRuntime.Factory(), new AutoMlModelRuntime.Factory()));
    }

    /**
     * Only the runtime of {@code flavor} (one of {@link #standard()}'s): a model package carries that runtime's libraries
     * alone, and a runtime class is linked only when its factory is made.
     *
     * @throws IllegalArgumentException for a flavor {@link #standard()} does not load
     */
    public static ModelRuntimes only(String flavor) {
        return new ModelRuntimes(List.of(switch (flavor) {
            case TribuoModelRuntime.FLAVOR -> new TribuoModelRuntime.Factory();
            case XgboostModelRuntime.FLAVOR -> new XgboostModelRuntime.Factory();
            case OnnxModelRuntime.FLAVOR -> new OnnxModelRuntime.Factory();
            case AutoMlModelRuntime.FLAVOR -> new AutoMlModelRuntime.Factory();
            default -> throw new IllegalArgumentException("no runtime for flavor " + flavor);
        }));
    }

    /** The flavors these runtimes load, in order of preference. */
    public List<String> flavors() {
        return List.copyOf(factories.keySet());
    }

    /**
     * The flavor {@code model} would be loaded as.
     *
     * @throws AtelierException {@code INVALID_PARAMETER_VALUE} when the model has no flavor these runtimes load
     */
    public String flavorOf(MlModel model) {
        return factories.keySet().stream().filter(model::hasFlavor).findFirst().orElseThrow(() ->
                AtelierException.invalidParameter("the model has no flavor Atelier can run in the JVM: it has "
                        + model.flavors().keySet() + ", Atelier runs " + flavors()));
    }

    /** Whether the model has a flavor these runtimes load. */
    public boolean canLoad(MlModel model) {
        return factories.keySet().stream().anyMatch(model::hasFlavor);
    }

    /**
     * Validates the model directory ({@link MlModelDirectory#validate}) and loads it.
     *
     * @throws AtelierException {@code INVALID_PARAMETER_VALUE} when the directory is not a valid model,
     *                          has no Java-native flavor, or its model file cannot be loaded
     */
    public ModelRuntime load(Path directory) {
        MlModel model = MlModelDirectory.validate(directory);
        return factories.get(flavorOf(model)).load(directory, model);
    }
}
