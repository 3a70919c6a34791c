package dev.atelier.workers.builtins;

import dev.atelier.api.mlmodel.MlModel;
import dev.atelier.api.mlmodel.MlModelYaml;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What train_model records in its model's {@code MLmodel} under {@code metadata} for score_model and evaluate_model: the
 * label column, the task, the feature columns, and for classifiers the classes in the order an XGBoost model's class
 * indexes refer to them. A model made elsewhere has none of it: score_model then scores with the runtime's own output.
 */
record TrainedModel(String labelColumn, String task, List<String> features, List<String> classes, String algorithm) {
    static final String LABEL_COLUMN = "atelier.label_column";
    static final String TASK = "atelier.task";
    static final String FEATURES = "atelier.features";
    static final String CLASSES = "atelier.classes";
    static final String ALGORITHM = "atelier.algorithm";

    TrainedModel {
        features = List.copyOf(features);
        classes = List.copyOf(classes);
    }

    Map<String, Object> metadata() {
        return Map.of(LABEL_COLUMN, labelColumn, TASK, task, FEATURES, features, CLASSES, classes, ALGORITHM, algorithm);
    }

    /** The metadata of the model in {@code folder}, when train_model wrote it. */
    static Optional<TrainedModel> read(Path folder) {
        MlModel model = MlModelYaml.read(folder.resolve(MlModel.FILE_NAME));
        if (!(model.other().get("metadata") instanceof Map<?, ?> metadata) || !(metadata.get(TASK) instanceof String task)) {
            return Optional.empty();
        }
        return Optional.of(new TrainedModel(String.valueOf(metadata.get(LABEL_COLUMN)), task, texts(metadata.get(FEATURES)),
                texts(metadata.get(CLASSES)), String.valueOf(metadata.get(ALGORITHM))));
    }

    private static List<String> texts(Object value) {
        return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }
}
