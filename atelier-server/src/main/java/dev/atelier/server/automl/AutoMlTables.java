package dev.atelier.server.automl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Checks an AutoML job's settings against the profiles of its table data assets (the data domain profiles every
 * table when it is registered: columns, types, missing and distinct counts), so that a job that cannot train is
 * refused with a 400 naming the field before any trial runs. Thread-safe (no state).
 */
public final class AutoMlTables {
    private AutoMlTables() {
    }

    /**
     * One of the job's tables.
     *
     * @param field     the document's field that names it ({@code training_data})
     * @param reference the pinned data asset version ({@code data:<name>:<version>})
     * @param profile   its profile ({@code format}, {@code row_count}, {@code columns})
     */
    public record Table(String field, String reference, JsonNode profile) {
        public Table {
            requireNonNull(field, "field is null");
            requireNonNull(reference, "reference is null");
            requireNonNull(profile, "profile is null");
        }

        Optional<JsonNode> column(String name) {
            for (JsonNode column : profile.path("columns")) {
                if (column.path("name").asText().equals(name)) {
                    return Optional.of(column);
                }
            }
            return Optional.empty();
        }

        List<String> columnNames() {
            List<String> names = new ArrayList<>();
            profile.path("columns").forEach(column -> names.add(column.path("name").asText()));
            return names;
        }
    }

    /**
     * Refuses tables that are not CSV, a target column missing from the training or validation table (or the test table),
     * a target with fewer than two distinct values in the training table, a weight column missing or not numeric, columns
     * named by {@code featurization} that the training table lacks, and more folds than training rows.
     *
     * @param tables by field, the training table first
     */
    public static void check(AutoMlSettings settings, Map<String, Table> tables) {
        Map<String, Table> byField = new LinkedHashMap<>(tables);
        Table training = requireNonNull(byField.get("training_data"), "no training_data table");
        for (Table table : byField.values()) {
            if (!table.profile().path("format").asText("csv").equals("csv")) {
                throw AtelierException.invalidParameter("Invalid '" + table.field() + ".path': " + table.reference() + " is a "
                        + table.profile().path("format").asText() + " table; AutoML reads CSV tables");
            }
            if (table.column(settings.targetColumn()).isEmpty()) {
                throw AtelierException.invalidParameter("Invalid 'target_column_name': " + table.field() + " (" + table.reference()
                        + ") has no column '" + settings.targetColumn() + "'; its columns are " + String.join(", ", table.columnNames()));
            }
        }
        JsonNode target = training.column(settings.targetColumn()).orElseThrow();
        if (target.path("distinct_estimate").asLong() < 2 || target.has("min") && target.path("min").asDouble() == target.path("max").asDouble()) {
            throw AtelierException.invalidParameter("Invalid 'target_column_name': column '" + settings.targetColumn() + "' of "
                    + training.reference() + " has " + (target.path("distinct_estimate").asLong() == 0 ? "no values" : "one value only")
                    + "; " + (settings.task() == AutoMlTask.CLASSIFICATION ? "a classification needs at least two classes"
                    : "a regression needs a target that varies"));
        }
        settings.weightColumn().ifPresent(weight -> {
            JsonNode column = training.column(weight).orElseThrow(() -> AtelierException.invalidParameter("Invalid 'weight_column_name': "
                    + training.reference() + " has no column '" + weight + "'"));
            if (!column.has("min")) {
                throw AtelierException.invalidParameter("Invalid 'weight_column_name': column '" + weight + "' of " + training.reference()
                        + " is not numeric");
            }
        });
        for (String column : settings.featurization().columns()) {
            if (training.column(column).isEmpty()) {
                throw AtelierException.invalidParameter("Invalid 'featurization': " + training.reference() + " has no column '" + column + "'");
            }
        }
        long rows = training.profile().path("row_count").asLong();
        if (settings.crossValidations().isPresent() && settings.crossValidations().getAsInt() > rows) {
            throw AtelierException.invalidParameter("Invalid 'n_cross_validations': " + settings.crossValidations().getAsInt()
                    + " folds of " + training.reference() + ", which has " + rows + " rows");
        }
    }
}
