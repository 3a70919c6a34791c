package dev.atelier.server.data;

import dev.atelier.api.AtelierException;

import java.util.Arrays;

/** What a data asset version is, as Azure ML names it: one file, a folder, or a table (a CSV file, profiled). */
public enum DataType {
    URI_FILE("uri_file"),
    URI_FOLDER("uri_folder"),
    TABLE("table");

    private final String wireName;

    DataType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Parses {@code uri_file}, {@code uri_folder} or {@code table}; {@code INVALID_PARAMETER_VALUE} otherwise. */
    public static DataType parse(String value) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(value)).findFirst()
                .orElseThrow(() -> AtelierException.invalidParameter("Invalid value '" + value + "' for parameter 'type': "
                        + "expected one of uri_file, uri_folder, table"));
    }
}
