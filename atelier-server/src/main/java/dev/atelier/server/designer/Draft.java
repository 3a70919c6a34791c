package dev.atelier.server.designer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import static java.util.Objects.requireNonNull;

/**
 * One version of a designer draft: a pipeline being drawn and where its steps sit on the canvas.
 *
 * @param document {@code {"pipeline": <pipeline job document>, "layout": {<step>: {"x", "y"}}}} (see {@link DraftDocument})
 * @param latestVersion the draft's newest version, the one a save must start from
 */
public record Draft(String workspace, String id, String name, String owner, int version, int latestVersion, ObjectNode document,
                    long createdAt, long updatedAt) {
    public Draft {
        requireNonNull(workspace, "workspace is null");
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(document, "document is null");
    }
}
