package dev.atelier.server.components;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;

import static java.util.Objects.requireNonNull;

/**
 * A registered, immutable component version.
 *
 * @param document the stored document, with {@code code} and {@code environment} pinned ({@code snapshot:<id>},
 *                 {@code azureml:<name>:<version>})
 */
public record Component(String name, String version, @JsonIgnore ComponentSpec spec, boolean archived, String createdBy, long createdAt,
                        JsonNode document, @JsonIgnore String workspace) {
    public Component {
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(createdBy, "createdBy is null");
        requireNonNull(document, "document is null");
        requireNonNull(workspace, "workspace is null");
    }

    /** {@code name:version}, as {@code azureml:name:version} references it. */
    public String reference() {
        return name + ":" + version;
    }
}
