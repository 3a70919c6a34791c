package dev.atelier.server.compute;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.atelier.api.AtelierException;

/** Where a compute target runs jobs. */
public enum ComputeKind {
    /** Child processes of the server, on the server's host; built in as the target named {@code local}. */
    LOCAL("local"),
    /** Kubernetes Jobs in one namespace of a cluster. */
    KUBERNETES("kubernetes");

    private final String wireName;

    ComputeKind(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public static ComputeKind parse(String field, String value) {
        for (ComputeKind kind : values()) {
            if (kind.wireName.equals(value)) {
                return kind;
            }
        }
        throw AtelierException.invalidParameter("Invalid value '" + value + "' for parameter '" + field
                + "': expected local or kubernetes");
    }
}
