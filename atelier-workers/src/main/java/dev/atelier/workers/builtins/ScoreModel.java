package dev.atelier.workers.builtins;

import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.api.mlmodel.Schema;
import dev.atelier.api.mlmodel.SchemaSpec;
import dev.atelier.server.models.ModelOutput;
import dev.atelier.server.models.ModelRuntime;
import dev.atelier.server.models.ModelRuntimes;
import dev.atelier.server.models.Table;
import dev.atelier.server.models.Tensor;
import dev.atelier.server.models.TensorType;
import dev.atelier.server.models.Tensors;
import dev.atelier.server.models.XgboostModelRuntime;
import dev.atelier.workers.table.TableException;
import dev.atelier.workers.table.TableReader;
import dev.atelier.workers.table.TableWriter;
import dev.atelier.workers.table.Values;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code score_model}: predicts with a model ({@code mlflow_model} folder, loaded by Atelier's {@link ModelRuntimes} as
 * an endpoint would) on every row of a table, in batches of {@value #BATCH} rows. The output is the input's columns then
 * {@code scored_label} and, for a classifier that gives probabilities (train_model's XGBoost classifiers too: scored from
 * the booster's probabilities rather than MLflow's class indexes), {@code scored_probability} (of the second class,
 * for two classes) or {@code scored_probability_<class>} (more classes). Beside {@code data.csv} it writes
 * {@value #SCORING_FILE}: the label column, task and classes from the model's metadata ({@link TrainedModel}), which
 * evaluate_model reads. Options: {@code --model}, {@code --input}, {@code --output}.
 */
final class ScoreModel implements Builtin {
    static final int BATCH = 4096;
    static final String SCORING_FILE = "scoring.json";
    static final String SCORED_LABEL = "scored_label";
    static final String SCORED_PROBABILITY = "scored_probability";

    @Override
    public void run(Arguments arguments) throws IOException {
        Path modelFolder = arguments.path("model");
        Path input = arguments.path("input");
        Path output = arguments.path("output");
        arguments.checkAllRead();
        Optional<TrainedModel> trained = TrainedModel.read(modelFolder);
        try (ModelRuntime runtime = ModelRuntimes.standard().load(modelFolder); TableReader reader = TableReader.open(input)) {
            List<String> features = trained.map(TrainedModel::features).filter(list -> !list.isEmpty())
                    .orElseGet(() -> inputColumns(runtime.signature()));
            if (features.isEmpty()) {
                throw new TableException("the model declares no named input columns, so score_model cannot tell which columns to give it");
            }
            int[] positions = reader.indexesOf(features);
            boolean[] text = textColumns(runtime.signature(), features);
            List<String> classes = trained.map(TrainedModel::classes).orElse(List.of());
            Scorer scorer = null;
            TableWriter writer = null;
            try {
                List<List<Object>> batch = new ArrayList<>(BATCH);
                List<String[]> rows = new ArrayList<>(BATCH);
                for (String[] row = reader.next(); ; row = reader.next()) {
                    if (row != null) {
                        List<Object> values = new ArrayList<>(positions.length);
                        for (int i = 0; i < positions.length; i++) {
                            String cell = row[positions[i]];
                            double value = text[i] ? Double.NaN : Values.number(cell, features.get(i), reader.rowNumber());
                            values.add(text[i] ? (cell == null || cell.isEmpty() ? null : cell) : Double.isNaN(value) ? null : value);
                        }
                        batch.add(values);
                        rows.add(row);
                    }
                    if (!batch.isEmpty() && (row == null || batch.size() == BATCH)) {
                        Table table = new Table(features, batch);
                        ModelOutput predicted = probabilities(runtime, classes)
                                ? new Tensors(List.of(probabilityTensor(((XgboostModelRuntime) runtime).probabilities(table))))
                                : runtime.predict(table);
                        if (scorer == null) {
                            scorer = probabilities(runtime, classes) ? new ProbabilityScorer(classes) : Scorer.of(predicted, classes);
                            List<String> header = new ArrayList<>(reader.columns());
                            header.addAll(scorer.columns());
                            writer = TableWriter.create(output, header);
                        }
                        scorer.write(predicted, rows, writer);
                        batch.clear();
                        rows.clear();
                    }
                    if (row == null) {
                        break;
                    }
                }
                if (writer == null) {
                    List<String> header = new ArrayList<>(reader.columns());
                    header.add(SCORED_LABEL);
                    writer = TableWriter.create(output, header);
                }
                System.out.println("score_model: " + writer.rows() + " rows scored with a " + runtime.flavor() + " model");
            } finally {
                if (writer != null) {
                    writer.close();
                }
            }
        }
        writeScoring(output, trained);
    }

    private static void writeScoring(Path output, Optional<TrainedModel> trained) throws IOException {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        Map<String, Object> scoring = new java.util.LinkedHashMap<>();
        trained.ifPresent(model -> {
            scoring.put("label_column", model.labelColumn());
            scoring.put("task", model.task());
            scoring.put("classes", model.classes());
        });
        scoring.put("scored_label", SCORED_LABEL);
        Files.write(output.resolve(SCORING_FILE), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(scoring));
    }

    /** An XGBoost classifier of known classes: scored from its probabilities, not MLflow's class indexes. */
    private static boolean probabilities(ModelRuntime runtime, List<String> classes) {
        return runtime instanceof XgboostModelRuntime xgboost && xgboost.classifier() && classes.size() >= 2;
    }

    private static Tensor probabilityTensor(double[][] rows) {
        int width = rows.length == 0 ? 0 : rows[0].length;
        List<Object> values = new ArrayList<>(rows.length * width);
        for (double[] row : rows) {
            for (double value : row) {
                values.add(value);
            }
        }
        return new Tensor("probabilities", TensorType.FP64, List.of((long) rows.length, (long) width), values);
    }

    /** Which of {@code features} the signature declares of type {@code string}: passed as text (empty: missing), not numbers. */
    private static boolean[] textColumns(ModelSignature signature, List<String> features) {
        Map<String, String> types = new java.util.HashMap<>();
        signature.inputs().filter(schema -> !schema.isTensorBased()).ifPresent(schema -> schema.specs().forEach(spec -> {
            if (spec instanceof dev.atelier.api.mlmodel.ColumnSpec column && column.name().isPresent()) {
                types.put(column.name().get(), column.type());
            }
        }));
        boolean[] text = new boolean[features.size()];
        for (int i = 0; i < text.length; i++) {
            text[i] = "string".equals(types.get(features.get(i)));
        }
        return text;
    }

    private static List<String> inputColumns(ModelSignature signature) {
        Optional<Schema> inputs = signature.inputs();
        if (inputs.isEmpty() || inputs.get().isTensorBased()) {
            return List.of();
        }
        return inputs.get().specs().stream().map(SchemaSpec::name).flatMap(Optional::stream).toList();
    }

    /** Turns one kind of model output into the scored columns; fixed by the first batch. */
    private sealed interface Scorer {
        List<String> columns();

        void write(ModelOutput output, List<String[]> rows, TableWriter writer);

        static Scorer of(ModelOutput output, List<String> classes) {
            return switch (output) {
                case Table table -> TableScorer.of(table, classes);
                case Tensors tensors -> new TensorScorer(tensors.tensors().get(0).name(), classes);
            };
        }
    }

    /** A table answer (Tribuo): its first column is the label or value; {@code probability:<class>} columns follow. */
    private record TableScorer(List<String> columns, int labelColumn, int[] probabilityColumns) implements Scorer {
        static TableScorer of(Table table, List<String> classes) {
            List<String> probabilityNames = table.columns().stream().filter(name -> name.startsWith("probability:")).toList();
            List<String> columns = new ArrayList<>(List.of(SCORED_LABEL));
            int[] positions;
            if (probabilityNames.size() == 2) {
                String positive = classes.size() == 2 ? classes.get(1) : probabilityNames.get(1).substring("probability:".length());
                int position = table.indexOf("probability:" + positive);
                positions = position < 0 ? new int[0] : new int[] {position};
                if (position >= 0) {
                    columns.add(SCORED_PROBABILITY);
                }
            } else {
                List<String> ordered = classes.isEmpty() ? probabilityNames
                        : classes.stream().map(name -> "probability:" + name).filter(table.columns()::contains).toList();
                positions = ordered.stream().mapToInt(table::indexOf).toArray();
                ordered.forEach(name -> columns.add(SCORED_PROBABILITY + "_" + name.substring("probability:".length())));
            }
            int label = table.columns().contains("label") ? table.indexOf("label") : 0;
            return new TableScorer(columns, label, positions);
        }

        @Override
        public void write(ModelOutput output, List<String[]> rows, TableWriter writer) {
            Table table = (Table) output;
            String[] out = null;
            for (int i = 0; i < rows.size(); i++) {
                String[] row = rows.get(i);
                out = out == null ? Arrays.copyOf(row, row.length + columns.size()) : out;
                System.arraycopy(row, 0, out, 0, row.length);
                List<Object> predicted = table.rows().get(i);
                out[row.length] = text(predicted.get(labelColumn));
                for (int p = 0; p < probabilityColumns.length; p++) {
                    out[row.length + 1 + p] = text(predicted.get(probabilityColumns[p]));
                }
                writer.write(out);
            }
        }
    }

    /**
     * A tensor answer (XGBoost): class indexes ({@code INT64}, mapped to the model's classes when it has them), or values
     * ({@code [rows]}: the label; {@code [rows, k]}: raw scores, the label is the largest's index).
     */
    private record TensorScorer(String name, List<String> classes) implements Scorer {
        @Override
        public List<String> columns() {
            return List.of(SCORED_LABEL);
        }

        @Override
        public void write(ModelOutput output, List<String[]> rows, TableWriter writer) {
            Tensor tensor = ((Tensors) output).get(name).orElseThrow();
            int width = tensor.shape().size() == 2 ? Math.toIntExact(tensor.shape().get(1)) : 1;
            String[] out = null;
            for (int i = 0; i < rows.size(); i++) {
                String[] row = rows.get(i);
                out = out == null ? Arrays.copyOf(row, row.length + 1) : out;
                System.arraycopy(row, 0, out, 0, row.length);
                if (tensor.type() == TensorType.INT64) {
                    int index = ((Number) tensor.values().get(i)).intValue();
                    out[row.length] = index >= 0 && index < classes.size() ? classes.get(index) : Integer.toString(index);
                } else if (width == 1) {
                    out[row.length] = Values.format(((Number) tensor.values().get(i)).doubleValue());
                } else {
                    int best = 0;
                    for (int c = 1; c < width; c++) {
                        if (((Number) tensor.values().get(i * width + c)).doubleValue() > ((Number) tensor.values().get(i * width + best)).doubleValue()) {
                            best = c;
                        }
                    }
                    out[row.length] = best < classes.size() ? classes.get(best) : Integer.toString(best);
                }
                writer.write(out);
            }
        }
    }

    /**
     * Class probabilities ({@code [rows, classes]}, in the model's class order): the most probable class, and
     * {@code scored_probability} (of the second class, for two) or {@code scored_probability_<class>} (more classes).
     */
    private record ProbabilityScorer(List<String> classes) implements Scorer {
        @Override
        public List<String> columns() {
            List<String> columns = new ArrayList<>(List.of(SCORED_LABEL));
            if (classes.size() == 2) {
                columns.add(SCORED_PROBABILITY);
            } else {
                classes.forEach(name -> columns.add(SCORED_PROBABILITY + "_" + name));
            }
            return columns;
        }

        @Override
        public void write(ModelOutput output, List<String[]> rows, TableWriter writer) {
            Tensor tensor = ((Tensors) output).tensors().get(0);
            int width = Math.toIntExact(tensor.shape().get(1));
            int extra = columns().size();
            for (int i = 0; i < rows.size(); i++) {
                String[] row = rows.get(i);
                String[] out = Arrays.copyOf(row, row.length + extra);
                int best = 0;
                for (int c = 1; c < width; c++) {
                    if (((Number) tensor.values().get(i * width + c)).doubleValue() > ((Number) tensor.values().get(i * width + best)).doubleValue()) {
                        best = c;
                    }
                }
                out[row.length] = best < classes.size() ? classes.get(best) : Integer.toString(best);
                if (classes.size() == 2) {
                    out[row.length + 1] = Values.format(((Number) tensor.values().get(i * width + 1)).doubleValue());
                } else {
                    for (int c = 0; c < Math.min(width, classes.size()); c++) {
                        out[row.length + 1 + c] = Values.format(((Number) tensor.values().get(i * width + c)).doubleValue());
                    }
                }
                writer.write(out);
            }
        }
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double || value instanceof Float) {
            return Values.format(((Number) value).doubleValue());
        }
        return value.toString();
    }
}
