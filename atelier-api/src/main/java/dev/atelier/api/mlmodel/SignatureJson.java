package dev.atelier.api.mlmodel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.atelier.api.AtelierException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A signature's parts as MLflow writes them into the {@code MLmodel} file: each of {@code inputs},
 * {@code outputs} and {@code params} is a JSON string holding a list of specs
 * ({@code Schema.to_json}, {@code ParamSchema.to_json} in mlflow/types/schema.py). A part written as
 * a YAML list instead of a string is read too. Errors name the part: {@code signature.inputs[1]}.
 */
final class SignatureJson {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<Object>> LIST = new TypeReference<>() {
    };

    private SignatureJson() {
    }

    static ModelSignature read(Object node) {
        if (!(node instanceof Map<?, ?> map)) {
            throw AtelierException.invalidParameter("MLmodel 'signature' must be a mapping with inputs, outputs and params");
        }
        return new ModelSignature(
                specList(map.get("inputs"), "signature.inputs").map(specs -> schema(specs, "signature.inputs")),
                specList(map.get("outputs"), "signature.outputs").map(specs -> schema(specs, "signature.outputs")),
                specList(map.get("params"), "signature.params").map(SignatureJson::params));
    }

    static Map<String, Object> write(ModelSignature signature) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("inputs", signature.inputs().map(SignatureJson::schemaJson).orElse(null));
        map.put("outputs", signature.outputs().map(SignatureJson::schemaJson).orElse(null));
        map.put("params", signature.params().map(SignatureJson::paramsJson).orElse(null));
        return map;
    }

    static String schemaJson(Schema schema) {
        return json(schema.specs().stream().map(SignatureJson::specMap).toList());
    }

    private static Optional<List<Map<?, ?>>> specList(Object value, String where) {
        if (value == null) {
            return Optional.empty();
        }
        List<Object> list;
        if (value instanceof String text) {
            try {
                list = JSON.readValue(text, LIST);
            } catch (JsonProcessingException e) {
                throw AtelierException.invalidParameter("MLmodel '" + where + "' is not a JSON list: " + e.getOriginalMessage());
            }
        } else if (value instanceof List<?> given) {
            list = new ArrayList<>(given);
        } else {
            throw AtelierException.invalidParameter("MLmodel '" + where + "' must be a JSON string holding a list of specs");
        }
        if (list == null) {
            return Optional.empty();
        }
        List<Map<?, ?>> specs = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> spec)) {
                throw AtelierException.invalidParameter("MLmodel '" + where + "[" + i + "]' must be an object");
            }
            specs.add(spec);
        }
        return Optional.of(specs);
    }

    private static Schema schema(List<Map<?, ?>> specs, String where) {
        List<SchemaSpec> parsed = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            parsed.add(spec(specs.get(i), where + "[" + i + "]"));
        }
        try {
            return new Schema(parsed);
        } catch (AtelierException e) {
            throw AtelierException.invalidParameter("MLmodel '" + where + "': " + e.getMessage());
        }
    }

    private static SchemaSpec spec(Map<?, ?> spec, String where) {
        Optional<String> name = optionalText(spec, "name", where);
        String type = text(spec, "type", where);
        if (type.equals("tensor")) {
            if (!(spec.get("tensor-spec") instanceof Map<?, ?> tensor)) {
                throw AtelierException.invalidParameter("MLmodel '" + where + ".tensor-spec' must be an object with dtype and shape");
            }
            return new TensorSpec(name, text(tensor, "dtype", where + ".tensor-spec"), shape(tensor.get("shape"), where + ".tensor-spec.shape"));
        }
        if (!ColumnSpec.DATA_TYPES.contains(type) && !ColumnSpec.COMPOSITE_TYPES.contains(type)) {
            throw AtelierException.invalidParameter("MLmodel '" + where + ".type' is not an MLflow type: '" + type + "'");
        }
        Object required = spec.get("required");
        if (required != null && !(required instanceof Boolean)) {
            throw AtelierException.invalidParameter("MLmodel '" + where + ".required' must be true or false");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        spec.forEach((key, value) -> {
            if (!"name".equals(key) && !"type".equals(key) && !"required".equals(key)) {
                details.put(String.valueOf(key), value);
            }
        });
        return new ColumnSpec(name, type, required == null || (Boolean) required, details);
    }

    private static List<ParamSpec> params(List<Map<?, ?>> specs) {
        List<ParamSpec> params = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            Map<?, ?> spec = specs.get(i);
            String where = "signature.params[" + i + "]";
            Object shape = spec.get("shape");
            params.add(new ParamSpec(text(spec, "name", where), text(spec, "type", where), Optional.ofNullable(spec.get("default")),
                    shape == null ? Optional.empty() : Optional.of(shape(shape, where + ".shape"))));
        }
        return params;
    }

    private static List<Long> shape(Object value, String where) {
        if (!(value instanceof List<?> list)) {
            throw AtelierException.invalidParameter("MLmodel '" + where + "' must be a list of integers");
        }
        List<Long> shape = new ArrayList<>();
        for (Object dimension : list) {
            if (!(dimension instanceof Integer || dimension instanceof Long) || ((Number) dimension).longValue() < -1) {
                throw AtelierException.invalidParameter("MLmodel '" + where + "' must hold integers of -1 or more, got " + dimension);
            }
            shape.add(((Number) dimension).longValue());
        }
        return shape;
    }

    private static Map<String, Object> specMap(SchemaSpec spec) {
        Map<String, Object> map = new LinkedHashMap<>();
        switch (spec) {
            case ColumnSpec column -> {
                map.put("type", column.type());
                map.putAll(column.details());
                column.name().ifPresent(name -> map.put("name", name));
                map.put("required", column.required());
            }
            case TensorSpec tensor -> {
                tensor.name().ifPresent(name -> map.put("name", name));
                map.put("type", "tensor");
                Map<String, Object> tensorSpec = new LinkedHashMap<>();
                tensorSpec.put("dtype", tensor.dtype());
                tensorSpec.put("shape", tensor.shape());
                map.put("tensor-spec", tensorSpec);
            }
        }
        return map;
    }

    private static String paramsJson(List<ParamSpec> params) {
        return json(params.stream().map(param -> {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("name", param.name());
            map.put("type", param.type());
            map.put("default", param.defaultValue().orElse(null));
            map.put("shape", param.shape().orElse(null));
            return map;
        }).toList());
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a signature as JSON", e);
        }
    }

    private static String text(Map<?, ?> map, String key, String where) {
        return optionalText(map, key, where).orElseThrow(() ->
                AtelierException.invalidParameter("MLmodel '" + where + "' has no '" + key + "'"));
    }

    private static Optional<String> optionalText(Map<?, ?> map, String key, String where) {
        Object value = map.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw AtelierException.invalidParameter("MLmodel '" + where + "." + key + "' must be a string");
        }
        return Optional.of(text);
    }
}
