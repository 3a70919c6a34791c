package dev.atelier.server.data;

import dev.atelier.api.AtelierException;

/** Whether a run read a data version ({@code input}) or produced it ({@code output}). */
public enum LineageDirection {
    INPUT("input"),
    OUTPUT("output");

    private final String wireName;

    LineageDirection(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static LineageDirection parse(String value) {
        for (LineageDirection direction : values()) {
            if (direction.wireName.equals(value)) {
                return direction;
            }
        }
        throw AtelierException.invalidParameter("Invalid value '" + value + "' for parameter 'direction': expected input or output");
    }
}
