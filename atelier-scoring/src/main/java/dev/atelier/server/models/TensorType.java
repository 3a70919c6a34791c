package dev.atelier.server.models;

import dev.atelier.api.AtelierException;

import java.util.Arrays;
import java.util.Locale;

/**
 * Element types of tensors, named as the Open Inference Protocol names them
 * (https://kserve.github.io/website/latest/modelserving/data_plane/v2_protocol/#tensor-data-types), with
 * the numpy name MLflow's tensor specs use.
 */
public enum TensorType {
    BOOL("bool"),
    INT8("int8"),
    UINT8("uint8"),
    INT16("int16"),
    INT32("int32"),
    INT64("int64"),
    FP32("float32"),
    FP64("float64"),
    BYTES("str");

    private final String numpyName;

    TensorType(String numpyName) {
        this.numpyName = numpyName;
    }

    public String numpyName() {
        return numpyName;
    }

    public boolean isNumeric() {
        return this != BOOL && this != BYTES;
    }

    /**
     * The type of an Open Inference Protocol {@code datatype} such as {@code FP32}.
     *
     * @throws AtelierException {@code INVALID_PARAMETER_VALUE} for a name this server does not support
     */
    public static TensorType fromProtocolName(String name) {
        return Arrays.stream(values()).filter(type -> type.name().equals(name)).findFirst().orElseThrow(() ->
                AtelierException.invalidParameter("unsupported tensor datatype '" + name + "'; expected one of "
                        + Arrays.toString(values())));
    }

    /**
     * The type of a numpy dtype name from an MLflow tensor spec ({@code float32}, {@code int64},
     * {@code object}...); {@code str}, {@code object} and {@code bytes} are {@link #BYTES}, Python's
     * {@code float} is numpy's {@code float64}.
     */
    public static TensorType fromNumpyName(String dtype) {
        String name = dtype.toLowerCase(Locale.ROOT);
        return switch (name) {
            case "str", "object", "bytes", "string" -> BYTES;
            case "float", "double" -> FP64;
            default -> Arrays.stream(values()).filter(type -> type.numpyName.equals(name)).findFirst().orElseThrow(() ->
                    AtelierException.invalidParameter("unsupported tensor dtype '" + dtype + "'"));
        };
    }
}
