package dev.atelier.server.tracking;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** A dataset used by a run, with the input's tags (such as {@code mlflow.data.context}). */
public record DatasetInput(List<KeyValue> tags, Dataset dataset) {
    public DatasetInput {
        tags = List.copyOf(tags);
        requireNonNull(dataset, "dataset is null");
    }
}
