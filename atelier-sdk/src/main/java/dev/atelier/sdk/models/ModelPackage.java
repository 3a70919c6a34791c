package dev.atelier.sdk.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.api.mlmodel.InputExampleInfo;
import dev.atelier.api.mlmodel.MlModel;
import dev.atelier.api.mlmodel.MlModelDirectory;
import dev.atelier.api.mlmodel.MlModelYaml;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.api.mlmodel.PythonEnvironment;
import dev.atelier.sdk.AtelierClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * A model file packaged in MLflow's {@code MLmodel} layout: what {@code mlflow.<flavor>.save_model}
 * and {@code log_model} do in Python, for models saved by Java libraries. Start from the saved native
 * file, add a signature and an input example, then {@link #saveTo} a directory or {@link #logTo} a run:
 *
 * <pre>{@code
 * model.saveONNXModel("org.example", 1, onnxFile);          // Tribuo, or any ONNX exporter
 * LoggedModel logged = ModelPackage.onnx(onnxFile)
 *         .withSignature(ModelSignature.of(
 *                 Schema.of(TensorSpec.of("input", "float32", -1, 4)),
 *                 Schema.of(TensorSpec.of("output", "float32", -1, 3))))
 *         .logTo(client, runId, "model");
 * // register it: model-versions/create with source = logged.modelUri()
 * }</pre>
 *
 * <p>ONNX and XGBoost packages also get MLflow's {@code python_function} flavor and Python
 * environment files ({@code requirements.txt}, {@code python_env.yaml}, {@code conda.yaml}), so that
 * Python's {@code mlflow.pyfunc.load_model} loads them too. Tribuo packages are Java-only. Immutable
 * and thread-safe; each {@code with...} returns a new package.
 */
public final class ModelPackage {
    public static final String DEFAULT_PYTHON_VERSION = "3.11";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter MLFLOW_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private static final String INPUT_EXAMPLE = "input_example.json";
    private static final String SERVING_INPUT_EXAMPLE = "serving_input_example.json";

    private final String flavor;
    private final Path modelFile;
    private final String fileName;
    private final Map<String, Object> flavorConfig;
    private final Optional<String> pythonLoader;
    private final List<String> pipRequirements;
    private final Optional<ModelSignature> signature;
    private final Optional<Map<String, Object>> inputExample;

    private ModelPackage(String flavor, Path modelFile, String fileName, Map<String, Object> flavorConfig, Optional<String> pythonLoader,
                         List<String> pipRequirements, Optional<ModelSignature> signature, Optional<Map<String, Object>> inputExample) {
        this.flavor = flavor;
        this.modelFile = modelFile;
        this.fileName = fileName;
        this.flavorConfig = flavorConfig;
        this.pythonLoader = pythonLoader;
        this.pipRequirements = List.copyOf(pipRequirements);
        this.signature = signature;
        this.inputExample = inputExample;
    }

    /** An ONNX model file (flavor {@code onnx}, saved as {@code model.onnx}). */
    public static ModelPackage onnx(Path onnxFile) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("code", null);
        config.put("data", "model.onnx");
        config.put("providers", List.of("CPUExecutionProvider"));
        return new ModelPackage("onnx", requireFile(onnxFile), "model.onnx", config, Optional.of("mlflow.onnx"),
                List.of("mlflow", "onnx", "onnxruntime"), Optional.empty(), Optional.empty());
    }

    /**
     * An XGBoost model file saved by {@code Booster.saveModel}: {@code .json}, {@code .ubj} or the
     * older binary {@code .xgb}/{@code .bin} (flavor {@code xgboost}, saved as {@code model.<format>},
     * {@code model_class} {@code xgboost.core.Booster}).
     *
     * @throws IllegalArgumentException for another file extension
     */
    public static ModelPackage xgboost(Path modelFile) {
        String name = requireFile(modelFile).getFileName().toString();
        String format = name.substring(name.lastIndexOf('.') + 1);
        if (!List.of("json", "ubj", "xgb", "bin").contains(format)) {
            throw new IllegalArgumentException("an XGBoost model file ends in .json, .ubj or .xgb, got '" + name + "'");
        }
        format = format.equals("bin") ? "xgb" : format;
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("code", null);
        config.put("data", "model." + format);
        config.put("model_class", "xgboost.core.Booster");
        config.put("model_format", format);
        return new ModelPackage("xgboost", modelFile, "model." + format, config, Optional.of("mlflow.xgboost"),
                List.of("mlflow", "xgboost"), Optional.empty(), Optional.empty());
    }

    /**
     * A Tribuo model file written by {@code Model.serializeToFile} (Tribuo 4.3's protobuf format;
     * flavor {@code tribuo}, saved as {@code model.tribuo}).
     */
    public static ModelPackage tribuo(Path serializedModel) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("data", "model.tribuo");
        config.put("serialization_format", "protobuf");
        return new ModelPackage("tribuo", requireFile(serializedModel), "model.tribuo", config, Optional.empty(),
                List.of(), Optional.empty(), Optional.empty());
    }

    public ModelPackage withSignature(ModelSignature newSignature) {
        return new ModelPackage(flavor, modelFile, fileName, flavorConfig, pythonLoader, pipRequirements,
                Optional.of(requireNonNull(newSignature, "newSignature is null")), inputExample);
    }

    /** An input example as a table, saved as MLflow saves a pandas DataFrame ({@code split} orient). */
    public ModelPackage withInputExample(List<String> columns, List<List<Object>> rows) {
        Map<String, Object> split = new LinkedHashMap<>();
        split.put("columns", List.copyOf(columns));
        split.put("data", rows.stream().map(row -> {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("an input example row has " + row.size() + " values for " + columns.size() + " columns");
            }
            return List.copyOf(row);
        }).toList());
        return new ModelPackage(flavor, modelFile, fileName, flavorConfig, pythonLoader, pipRequirements, signature, Optional.of(split));
    }

    /** Replaces the pip requirements written to {@code requirements.txt} (ONNX and XGBoost packages). */
    public ModelPackage withPipRequirements(List<String> requirements) {
        return new ModelPackage(flavor, modelFile, fileName, flavorConfig, pythonLoader, requirements, signature, inputExample);
    }

    /** Replaces a value of the flavor's configuration, such as XGBoost's {@code model_class}. */
    public ModelPackage withFlavorValue(String key, Object value) {
        if (requireNonNull(key, "key is null").equals("data")) {
            throw new IllegalArgumentException("the model file's name is chosen by the package");
        }
        Map<String, Object> config = new LinkedHashMap<>(flavorConfig);
        config.put(key, value);
        return new ModelPackage(flavor, modelFile, fileName, config, pythonLoader, pipRequirements, signature, inputExample);
    }

    public String flavor() {
        return flavor;
    }

    /**
     * Writes the model directory: {@code MLmodel}, the model file, the input example and the Python
     * environment files. {@code directory} is created; it must not hold files yet.
     *
     * @return the {@code MLmodel} written
     * @throws IllegalArgumentException when {@code directory} is not empty
     */
    public MlModel saveTo(Path directory) {
        return save(directory, Optional.empty(), Optional.empty());
    }

    /**
     * Saves the model and logs it to the run, as {@code mlflow.<flavor>.log_model}: uploads the
     * directory to {@code <run artifact_uri>/<artifactPath>} through the artifact proxy, then records
     * it with {@code runs/log-model} (the run's {@code mlflow.log-model.history} tag).
     *
     * @param artifactPath a relative path such as {@code model}
     */
    public LoggedModel logTo(AtelierClient client, String runId, String artifactPath) {
        requireNonNull(client, "client is null");
        String path = requireNonNull(artifactPath, "artifactPath is null").replaceAll("^/+|/+$", "");
        if (path.isEmpty() || Stream.of(path.split("/")).anyMatch(segment -> segment.isEmpty() || segment.equals("..") || segment.equals("."))) {
            throw new IllegalArgumentException("artifactPath must be a relative path such as 'model', got '" + artifactPath + "'");
        }
        String runArtifacts = client.runs().get(requireNonNull(runId, "runId is null")).info().artifactUri();
        Path directory;
        try {
            directory = Files.createTempDirectory("atelier-model");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            MlModel model = save(directory.resolve("model"), Optional.of(runId), Optional.of(path));
            client.artifacts().uploadDirectory(runArtifacts, path, directory.resolve("model"));
            client.runs().logModel(runId, json(MlModelYaml.historyEntry(model)));
            return new LoggedModel(runId, path, "runs:/" + runId + "/" + path, runArtifacts.replaceAll("/+$", "") + "/" + path, model);
        } finally {
            deleteRecursively(directory);
        }
    }

    private MlModel save(Path directory, Optional<String> runId, Optional<String> artifactPath) {
        try {
            Files.createDirectories(directory);
            try (Stream<Path> entries = Files.list(directory)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("the model directory " + directory + " is not empty");
                }
            }
            Files.copy(modelFile, directory.resolve(fileName));
            Optional<InputExampleInfo> example = inputExample.map(split -> writeExample(directory, split));
            Map<String, Map<String, Object>> flavors = new LinkedHashMap<>();
            flavors.put(flavor, flavorConfig);
            pythonLoader.ifPresent(loader -> {
                new PythonEnvironment(DEFAULT_PYTHON_VERSION, pipRequirements).writeTo(directory);
                flavors.put(MlModel.PYTHON_FUNCTION, pythonFunction(loader));
            });
            Map<String, Object> other = new LinkedHashMap<>();
            other.put("model_size_bytes", size(directory));
            MlModel model = new MlModel(artifactPath, flavors, runId, Optional.of(UUID.randomUUID().toString().replace("-", "")),
                    Optional.of(LocalDateTime.now(ZoneOffset.UTC).format(MLFLOW_TIME)), Optional.empty(), signature, example, other);
            MlModelYaml.write(model, directory);
            return MlModelDirectory.validate(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> pythonFunction(String loader) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("data", fileName);
        config.put("env", Map.of("conda", PythonEnvironment.CONDA, "virtualenv", PythonEnvironment.PYTHON_ENV));
        config.put("loader_module", loader);
        config.put("python_version", DEFAULT_PYTHON_VERSION);
        return config;
    }

    private static InputExampleInfo writeExample(Path directory, Map<String, Object> split) {
        try {
            Files.writeString(directory.resolve(INPUT_EXAMPLE), json(split));
            Files.writeString(directory.resolve(SERVING_INPUT_EXAMPLE), json(Map.of("dataframe_split", split)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new InputExampleInfo(INPUT_EXAMPLE, "dataframe",
                Map.of("pandas_orient", "split", InputExampleInfo.SERVING_INPUT_PATH, SERVING_INPUT_EXAMPLE));
    }

    private static long size(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Path requireFile(Path file) {
        if (!Files.isRegularFile(requireNonNull(file, "file is null"))) {
            throw new IllegalArgumentException("no model file at " + file);
        }
        return file;
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
