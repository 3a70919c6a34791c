package dev.atelier.server.components;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads a component document (YAML as JSON) into a {@link ComponentSpec}. */
public final class ComponentDocument {
    private ComponentDocument() {
    }

    /**
     * Reads and checks a component document; errors are {@code INVALID_PARAMETER_VALUE}s naming {@code prefix + field}
     * (a pipeline's inline component passes {@code jobs.<step>.component.}).
     */
    public static ComponentSpec parse(JsonNode document, String prefix) {
        throw new UnsupportedOperationException("to be written with the components issue");
    }
}
