package dev.atelier.api.mlmodel;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * An inference parameter of a signature, written by MLflow as
 * {@code {"name": "temperature", "type": "float", "default": 0.5, "shape": null}}.
 *
 * @param defaultValue the default as parsed from JSON (a string, number, boolean or list); empty when null
 * @param shape empty for a scalar parameter, {@code [-1]} for a list
 */
public record ParamSpec(String name, String type, Optional<Object> defaultValue, Optional<List<Long>> shape) {
    public ParamSpec {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(defaultValue, "defaultValue is null");
        shape = requireNonNull(shape, "shape is null").map(List::copyOf);
    }
}
