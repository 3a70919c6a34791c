package dev.atelier.server.environments;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.atelier.api.AtelierException;

/**
 * What an environment describes: a host executable or a python environment for local processes, or a container image
 * for Kubernetes.
 */
public enum EnvironmentKind {
    /** An executable on the compute host's PATH (such as {@code python3} or {@code java}). */
    PROCESS("process"),
    /** A python interpreter with pip requirements or a conda file, built into a virtual environment once per content. */
    PYTHON("python"),
    /** A container image reference, run by the Kubernetes target. */
    IMAGE("image"),
    /**
     * Atelier's own Java runtime and classes (the built-in environment {@link Environment#ATELIER_NAME}): the server's
     * JRE and classpath, bound read-only, for Atelier's own workloads (AutoML, the designer's built-in components).
     * Never stored: every workspace has it.
     */
    ATELIER("atelier");

    private final String wireName;

    EnvironmentKind(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Parses {@code process}, {@code python} or {@code image}; anything else is INVALID_PARAMETER_VALUE naming {@code field}. */
    public static EnvironmentKind parse(String field, String value) {
        for (EnvironmentKind kind : values()) {
            if (kind.wireName.equals(value)) {
                return kind;
            }
        }
        throw AtelierException.invalidParameter("Invalid value '" + value + "' for parameter '" + field
                + "': expected process, python or image");
    }
}
