package dev.atelier.server.registry;

import dev.atelier.api.AtelierException;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The stages a model version can be moved to; clients send them in any letter case. */
public enum ModelStage {
    NONE("None"),
    STAGING("Staging"),
    PRODUCTION("Production"),
    ARCHIVED("Archived");

    private final String wireName;

    ModelStage(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Parses a stage name case-insensitively; anything else is INVALID_PARAMETER_VALUE, as in MLflow. */
    public static ModelStage parse(String text) {
        for (ModelStage stage : values()) {
            if (stage.wireName.equalsIgnoreCase(text.trim())) {
                return stage;
            }
        }
        throw AtelierException.invalidParameter("Invalid Model Version stage: " + text + ". Value must be one of "
                + Arrays.stream(values()).map(ModelStage::wireName).collect(Collectors.joining(", ")) + ".");
    }
}
