package dev.atelier.server.tracking.search;

import dev.atelier.api.AtelierException;

import java.util.Arrays;

/** What a {@code datasets.<key>} filter compares: a dataset's name or digest, or the input's context tag. */
enum DatasetField {
    NAME("name"),
    DIGEST("digest"),
    CONTEXT("context");

    /** The input tag that holds a dataset input's context (training, evaluation, ...). */
    static final String CONTEXT_TAG = "mlflow.data.context";

    private final String key;

    DatasetField(String key) {
        this.key = key;
    }

    /** @throws AtelierException INVALID_PARAMETER_VALUE for a key other than name, digest and context */
    static DatasetField of(String key) {
        return Arrays.stream(values())
                .filter(field -> field.key.equals(key))
                .findFirst()
                .orElseThrow(() -> AtelierException.invalidParameter("Invalid dataset key '" + key
                        + "' specified. Valid keys are '{'name', 'digest', 'context'}'"));
    }
}
