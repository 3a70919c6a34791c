package dev.atelier.server.components;

import static java.util.Objects.requireNonNull;

/** A declared output of a component: a folder or file the command writes under {@code ${{outputs.<name>}}}. */
public record ComponentOutput(IoType type, String description) {
    public ComponentOutput {
        requireNonNull(type, "type is null");
        requireNonNull(description, "description is null");
    }
}
