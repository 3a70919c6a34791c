package dev.atelier.api.mlmodel;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.atelier.api.AtelierException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Reads and writes the {@code MLmodel} file. Reading accepts what MLflow's Python client writes
 * ({@code Model.to_yaml}) and refuses anything else with an {@code INVALID_PARAMETER_VALUE}
 * {@link AtelierException} naming the key at fault; writing produces what {@code Model.load} reads:
 * keys sorted, null fields left out, the signature's parts as JSON strings. Thread-safe.
 */
public final class MlModelYaml {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();
    private static final TypeReference<Object> ANY = new TypeReference<>() {
    };
    private static final Set<String> NAMED_KEYS = Set.of("artifact_path", "flavors", "run_id", "model_uuid",
            "utc_time_created", "mlflow_version", "signature", "saved_input_example_info");

    private MlModelYaml() {
    }

    /** Parses an {@code MLmodel} file's text. */
    public static MlModel parse(String text) {
        requireNonNull(text, "text is null");
        if (text.isBlank()) {
            throw AtelierException.invalidParameter("MLmodel is empty");
        }
        Object document;
        try {
            document = YAML.readValue(text, ANY);
        } catch (JacksonException e) {
            throw AtelierException.invalidParameter("MLmodel does not parse as YAML: " + e.getOriginalMessage());
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw AtelierException.invalidParameter("MLmodel must be a YAML mapping with a 'flavors' key");
        }
        return fromMap(map);
    }

    /** Reads and parses the {@code MLmodel} file at {@code file}. */
    public static MlModel read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw AtelierException.invalidParameter("cannot read the MLmodel file " + file.getFileName() + ": " + e.getMessage());
        }
    }

    /** The model as MLflow's {@code Model.to_dict}: the structure both the YAML file and {@code runs/log-model} carry. */
    public static Map<String, Object> toMap(MlModel model) {
        Map<String, Object> map = new LinkedHashMap<>(model.other());
        model.artifactPath().ifPresent(value -> map.put("artifact_path", value));
        map.put("flavors", model.flavors());
        model.runId().ifPresent(value -> map.put("run_id", value));
        model.modelUuid().ifPresent(value -> map.put("model_uuid", value));
        model.utcTimeCreated().ifPresent(value -> map.put("utc_time_created", value));
        model.mlflowVersion().ifPresent(value -> map.put("mlflow_version", value));
        model.signature().ifPresent(value -> map.put("signature", SignatureJson.write(value)));
        model.savedInputExampleInfo().ifPresent(info -> {
            Map<String, Object> example = new LinkedHashMap<>(info.other());
            example.put("artifact_path", info.artifactPath());
            example.put("type", info.type());
            map.put("saved_input_example_info", example);
        });
        return map;
    }

    /** The model as YAML text. */
    public static String write(MlModel model) {
        try {
            return YAML.writeValueAsString(toMap(requireNonNull(model, "model is null")));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot write the model as YAML: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes {@code MLmodel} into {@code directory}. */
    public static Path write(MlModel model, Path directory) {
        Path file = directory.resolve(MlModel.FILE_NAME);
        try {
            Files.writeString(file, write(model), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * The entry MLflow appends to a run's {@code mlflow.log-model.history} tag ({@code Model.get_tags_dict}):
     * run, time, path, uuid and the flavors without their {@code config} entries.
     */
    public static Map<String, Object> historyEntry(MlModel model) {
        Map<String, Object> map = new LinkedHashMap<>();
        model.runId().ifPresent(value -> map.put("run_id", value));
        model.artifactPath().ifPresent(value -> map.put("artifact_path", value));
        model.utcTimeCreated().ifPresent(value -> map.put("utc_time_created", value));
        model.modelUuid().ifPresent(value -> map.put("model_uuid", value));
        Map<String, Object> flavors = new LinkedHashMap<>();
        model.flavors().forEach((name, config) -> {
            Map<String, Object> copy = new LinkedHashMap<>(config);
            copy.remove("config");
            flavors.put(name, copy);
        });
        map.put("flavors", flavors);
        return map;
    }

    private static MlModel fromMap(Map<?, ?> map) {
        if (!(map.get("flavors") instanceof Map<?, ?> flavorMap)) {
            throw AtelierException.invalidParameter(map.containsKey("flavors")
                    ? "MLmodel 'flavors' must be a mapping of flavor names to their configuration"
                    : "MLmodel has no 'flavors'");
        }
        Map<String, Map<String, Object>> flavors = new LinkedHashMap<>();
        flavorMap.forEach((name, config) -> {
            if (!(config instanceof Map<?, ?> configMap)) {
                throw AtelierException.invalidParameter("MLmodel flavor '" + name + "' must be a mapping");
            }
            flavors.put(String.valueOf(name), stringKeys(configMap));
        });
        Map<String, Object> other = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            if (!NAMED_KEYS.contains(String.valueOf(key)) && value != null) {
                other.put(String.valueOf(key), value);
            }
        });
        Object signature = map.get("signature");
        return new MlModel(text(map, "artifact_path"), flavors, text(map, "run_id"), text(map, "model_uuid"),
                text(map, "utc_time_created"), text(map, "mlflow_version"),
                signature == null ? Optional.empty() : Optional.of(SignatureJson.read(signature)),
                inputExample(map.get("saved_input_example_info")), other);
    }

    private static Optional<InputExampleInfo> inputExample(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw AtelierException.invalidParameter("MLmodel 'saved_input_example_info' must be a mapping");
        }
        Map<String, Object> other = stringKeys(map);
        String artifactPath = text(map, "artifact_path").orElseThrow(() ->
                AtelierException.invalidParameter("MLmodel 'saved_input_example_info' has no 'artifact_path'"));
        String type = text(map, "type").orElse("dataframe");
        other.remove("artifact_path");
        other.remove("type");
        return Optional.of(new InputExampleInfo(artifactPath, type, other));
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), value));
        return copy;
    }

    /** A scalar as text: YAML may read {@code run_id: 123} or a version {@code 2.1} as a number. */
    private static Optional<String> text(Map<?, ?> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Map || value instanceof Iterable) {
            throw AtelierException.invalidParameter("MLmodel '" + key + "' must be a string");
        }
        return Optional.of(String.valueOf(value));
    }
}
