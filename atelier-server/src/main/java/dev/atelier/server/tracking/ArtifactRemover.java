package dev.atelier.server.tracking;

/** Removes the stored artifacts under a run's or experiment's artifact URI; used by garbage collection. */
@FunctionalInterface
public interface ArtifactRemover {
    /** Deletes everything under {@code artifactUri} in the workspace and returns the bytes freed. */
    long removeArtifacts(String workspace, String artifactUri);
}
