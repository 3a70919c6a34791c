package dev.atelier.server.components;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Optional;

/** The types of a component's inputs and outputs, named as Azure ML CLI v2 names them. */
public enum IoType {
    NUMBER("number"),
    INTEGER("integer"),
    BOOLEAN("boolean"),
    STRING("string"),
    URI_FILE("uri_file"),
    URI_FOLDER("uri_folder"),
    MLTABLE("mltable"),
    MLFLOW_MODEL("mlflow_model");

    private final String wireName;

    IoType(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** A value written in the document (number, integer, boolean, string), not data. */
    public boolean literal() {
        return switch (this) {
            case NUMBER, INTEGER, BOOLEAN, STRING -> true;
            case URI_FILE, URI_FOLDER, MLTABLE, MLFLOW_MODEL -> false;
        };
    }

    /**
     * Whether a value of type {@code from} (an upstream output, a pipeline input) may be bound to an input of this type:
     * the same type; an integer where a number is asked; and among folders, a {@code uri_folder} where an {@code mltable}
     * or {@code mlflow_model} is asked and the other way round (both are folders with a descriptor file).
     */
    public boolean accepts(IoType from) {
        if (from == this) {
            return true;
        }
        return switch (this) {
            case NUMBER -> from == INTEGER;
            case URI_FOLDER -> from == MLTABLE || from == MLFLOW_MODEL;
            case MLTABLE, MLFLOW_MODEL -> from == URI_FOLDER;
            case INTEGER, BOOLEAN, STRING, URI_FILE -> false;
        };
    }

    public static Optional<IoType> parse(String wireName) {
        for (IoType type : values()) {
            if (type.wireName.equals(wireName)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
