package dev.atelier.server.workspace;

/**
 * A domain that keeps data per workspace and must hear when one is created or deleted
 * (tracking creates the Default experiment, artifacts remove their folder).
 */
public interface WorkspaceParticipant {
    /** Called once after the workspace row is committed. */
    void workspaceCreated(String workspace);

    /** Whether the workspace holds data of this domain that a delete without force must keep. */
    boolean holdsData(String workspace);

    /** Called after the workspace and its rows were deleted; removes what lives outside the database. */
    void workspaceDeleted(String workspace);
}
