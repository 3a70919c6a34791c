package dev.atelier.server.models.automl;

import java.util.Locale;

/** What an AutoML pipeline predicts: a class (with each class's probability) or a number. */
public enum Task {
    CLASSIFICATION, REGRESSION;

    /** The YAML name: {@code classification} or {@code regression}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for another name */
    public static Task of(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
