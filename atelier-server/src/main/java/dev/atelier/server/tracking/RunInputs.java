package dev.atelier.server.tracking;

import java.util.List;

/** The inputs of a run. Always written, as {@code {}} when empty: MLflow does so and clients expect it. */
public record RunInputs(List<DatasetInput> datasetInputs) {
    public RunInputs {
        datasetInputs = List.copyOf(datasetInputs);
    }
}
