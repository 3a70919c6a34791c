package dev.atelier.server.models;

import dev.atelier.api.AtelierException;
import dev.atelier.api.mlmodel.ColumnSpec;
import dev.atelier.api.mlmodel.InputExampleInfo;
import dev.atelier.api.mlmodel.MlModel;
import dev.atelier.api.mlmodel.MlModelDirectory;
import dev.atelier.api.mlmodel.MlModelYaml;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.api.mlmodel.Schema;
import dev.atelier.api.mlmodel.SchemaSpec;
import dev.atelier.server.models.automl.AutoMlModelFolder;
import dev.atelier.server.models.automl.AutoMlPipeline;
import dev.atelier.server.models.automl.Member;
import dev.atelier.server.models.automl.Task;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * An AutoML pipeline (flavor {@code atelier_automl}, {@code data: pipeline.json}; {@link AutoMlModelFolder}) trained
 * by {@code type: automl} jobs (docs/automl.md). Takes a
 * table of the training columns (extra columns ignored, missing ones read as missing values) and answers a table: for
 * a classifier {@code label} (the most probable class) and {@code probability:<class>} per class, as the Tribuo
 * runtime answers; for a regressor {@code prediction}. Thread-safe: the pipeline is.
 */
public final class AutoMlModelRuntime implements ModelRuntime {
    public static final String FLAVOR = "atelier_automl";
    public static final String LABEL = "label";
    public static final String PROBABILITY_PREFIX = "probability:";
    public static final String PREDICTION = "prediction";

    private final AutoMlPipeline pipeline;
    private final ModelSignature signature;

    public AutoMlModelRuntime(AutoMlPipeline pipeline, ModelSignature signature) {
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.signature = requireNonNull(signature, "signature is null");
    }

    /** Loads {@code atelier_automl} models. */
    public static final class Factory implements ModelRuntimeFactory {
        @Override
        public String flavor() {
            return FLAVOR;
        }

        @Override
        public ModelRuntime load(Path directory, MlModel model) {
            Path file = MlModelDirectory.flavorFile(directory, model, FLAVOR, "data");
            AutoMlPipeline pipeline = AutoMlModelFolder.read(file.getParent());
            return new AutoMlModelRuntime(pipeline, model.signature().orElseGet(() -> signature(pipeline)));
        }
    }

    /**
     * Saves {@code pipeline} as a model directory: {@code MLmodel} (flavor {@code atelier_automl}, signature),
     * {@code pipeline.json} with its members, and {@code input_example.json} from {@code example} (a few training rows)
     * with {@code serving_input_example.json} in the scoring request format.
     */
    public static void save(AutoMlPipeline pipeline, Path directory, Table example, Optional<String> runId) throws IOException {
        AutoMlModelFolder.write(pipeline, directory);
        Map<String, Object> flavor = new LinkedHashMap<>();
        flavor.put("data", AutoMlModelFolder.PIPELINE_FILE);
        flavor.put("task", pipeline.task().yamlName());
        flavor.put("format_version", AutoMlModelFolder.FORMAT_VERSION);
        flavor.put("algorithms", pipeline.combination().members().stream().map(Member::algorithm).toList());
        Map<String, Object> split = new LinkedHashMap<>();
        split.put("columns", example.columns());
        split.put("data", example.rows());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        json.writeValue(directory.resolve("input_example.json").toFile(), split);
        json.writeValue(directory.resolve("serving_input_example.json").toFile(), Map.of("dataframe_split", split));
        InputExampleInfo exampleInfo = new InputExampleInfo("input_example.json", "dataframe",
                Map.of("pandas_orient", "split", InputExampleInfo.SERVING_INPUT_PATH, "serving_input_example.json"));
        String created = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS"));
        MlModel model = new MlModel(Optional.of("model"), Map.of(FLAVOR, flavor), runId, Optional.of(java.util.UUID.randomUUID().toString().replace("-", "")),
                Optional.of(created), Optional.empty(), Optional.of(signature(pipeline)), Optional.of(exampleInfo), Map.of());
        MlModelYaml.write(model, directory);
    }

    /** The signature: the input columns (none required) and the answer's columns. */
    public static ModelSignature signature(AutoMlPipeline pipeline) {
        List<SchemaSpec> inputs = pipeline.inputs().stream()
                .<SchemaSpec>map(input -> new ColumnSpec(Optional.of(input.name()), input.type(), false, Map.of()))
                .toList();
        List<SchemaSpec> outputs = new ArrayList<>();
        if (pipeline.task() == Task.CLASSIFICATION) {
            outputs.add(ColumnSpec.of(LABEL, numericClasses(pipeline) ? "long" : "string"));
            pipeline.classes().forEach(label -> outputs.add(ColumnSpec.of(PROBABILITY_PREFIX + label, "double")));
        } else {
            outputs.add(ColumnSpec.of(PREDICTION, "double"));
        }
        return ModelSignature.of(new Schema(inputs), new Schema(outputs));
    }

    public AutoMlPipeline pipeline() {
        return pipeline;
    }

    @Override
    public String flavor() {
        return FLAVOR;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public ModelOutput predict(ModelInput input) {
        if (!(input instanceof Table table)) {
            throw AtelierException.invalidParameter("an AutoML model takes a table of named columns (dataframe_split or "
                    + "dataframe_records), not tensors");
        }
        return answer(pipeline, pipeline.predict(table.columns(), table.rows()));
    }

    /**
     * Batch scoring's mini-batches of a no-code deployment (docs/batch-endpoints.md): {@code columns} numbers a row, the
     * signature's input columns in its order, NaN for a missing value; answered as {@link #predict} answers the same
     * table.
     *
     * @throws AtelierException (400) when {@code columns} is not the number of the signature's input columns
     */
    @Override
    public ModelOutput predictMatrix(double[] values, int rows, int columns) {
        List<String> names = pipeline.inputs().stream().map(AutoMlPipeline.InputColumn::name).toList();
        if (columns != names.size()) {
            throw AtelierException.invalidParameter("an AutoML model takes " + names.size() + " columns " + names + ", not " + columns);
        }
        List<List<Object>> table = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            List<Object> row = new ArrayList<>(columns);
            for (int c = 0; c < columns; c++) {
                double value = values[r * columns + c];
                row.add(Double.isNaN(value) ? null : value);
            }
            table.add(row);
        }
        return answer(pipeline, pipeline.predict(names, table));
    }

    /** The answer table for the pipeline's raw output (probabilities or numbers). */
    public static Table answer(AutoMlPipeline pipeline, double[][] output) {
        List<List<Object>> rows = new ArrayList<>();
        if (pipeline.task() == Task.REGRESSION) {
            for (double[] row : output) {
                rows.add(List.of(row[0]));
            }
            return new Table(List.of(PREDICTION), rows);
        }
        boolean numeric = numericClasses(pipeline);
        List<String> columns = new ArrayList<>(List.of(LABEL));
        pipeline.classes().forEach(label -> columns.add(PROBABILITY_PREFIX + label));
        for (double[] row : output) {
            List<Object> line = new ArrayList<>();
            String label = pipeline.classes().get(AutoMlPipeline.argmax(row));
            line.add(numeric ? (Object) Long.parseLong(label) : label);
            for (double probability : row) {
                line.add(probability);
            }
            rows.add(line);
        }
        return new Table(columns, rows);
    }

    /** Whether every class is a whole number (then labels are answered as numbers, as they came). */
    private static boolean numericClasses(AutoMlPipeline pipeline) {
        return !pipeline.classes().isEmpty() && pipeline.classes().stream().allMatch(label -> label.matches("-?\\d{1,18}"));
    }

    @Override
    public void close() {
        pipeline.close();
    }
}
