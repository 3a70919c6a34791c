package dev.atelier.server.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Merges an update of a deployment into its current document. */
final class DeploymentPatch {
    private DeploymentPatch() {
    }

    /**
     * The current spec as a deployment document with {@code patch}'s fields laid over it;
     * {@code request_settings} is merged field by field, every other field is replaced whole.
     */
    static ObjectNode merge(Deployment current, ObjectNode patch) {
        ObjectNode document = current.spec().toJson();
        document.remove("model_version");
        document.put("name", current.name());
        for (var entry : patch.properties()) {
            JsonNode value = entry.getValue();
            if (entry.getKey().equals("request_settings") && value.isObject() && document.get("request_settings") instanceof ObjectNode settings) {
                settings.setAll((ObjectNode) value);
            } else {
                document.set(entry.getKey(), value);
            }
        }
        return document;
    }
}
