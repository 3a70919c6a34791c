package dev.atelier.server.components;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A declared input of a component.
 *
 * @param defaultValue the value when the step gives none (as text)
 * @param optional     whether a step may leave it unset (then the command's {@code $[[ … ]]} parts naming it are dropped)
 * @param min          the smallest value of a number or integer
 * @param enumValues   the values a string may take; empty when any
 */
public record ComponentInput(IoType type, Optional<String> defaultValue, boolean optional, Optional<Double> min, Optional<Double> max,
                             List<String> enumValues, String description) {
    public ComponentInput {
        requireNonNull(type, "type is null");
        requireNonNull(defaultValue, "defaultValue is null");
        requireNonNull(min, "min is null");
        requireNonNull(max, "max is null");
        enumValues = List.copyOf(enumValues);
        requireNonNull(description, "description is null");
    }

    /** A step must bind it: not optional and without a default. */
    public boolean required() {
        return !optional && defaultValue.isEmpty();
    }

    /**
     * Checks a literal value given for this input (its type parses, within min/max, one of the enum); an invalid one is an
     * {@code INVALID_PARAMETER_VALUE} naming {@code field}.
     */
    public void check(String field, String value) {
        ComponentRules.checkLiteral(this, field, value);
    }
}
