package dev.atelier.api.mlmodel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A column of a column-based signature, written by MLflow as
 * {@code {"type": "double", "name": "x", "required": true}}.
 *
 * @param type one of MLflow's {@link #DATA_TYPES} or a composite type ({@code array}, {@code object},
 *             {@code map}, {@code any})
 * @param details the other keys of composite types ({@code items}, {@code properties}, {@code values}),
 *                kept as parsed so that writing the spec back loses nothing
 */
public record ColumnSpec(Optional<String> name, String type, boolean required, Map<String, Object> details)
        implements SchemaSpec {

    /** MLflow's scalar column types ({@code mlflow.types.DataType}). */
    public static final Set<String> DATA_TYPES =
            Set.of("boolean", "integer", "long", "float", "double", "string", "binary", "datetime");
    /** Composite column types of MLflow 2.10 and later. */
    public static final Set<String> COMPOSITE_TYPES = Set.of("array", "object", "map", "any");

    public ColumnSpec {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        details = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(details, "details is null")));
    }

    /** A required, named column of a scalar type. */
    public static ColumnSpec of(String name, String type) {
        return new ColumnSpec(Optional.of(requireNonNull(name, "name is null")), type, true, Map.of());
    }
}
