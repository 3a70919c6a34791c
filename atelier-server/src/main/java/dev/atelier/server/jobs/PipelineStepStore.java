package dev.atelier.server.jobs;

import java.util.List;
import java.util.Optional;

/** The steps of pipeline jobs (V18). Implementations are thread-safe. */
interface PipelineStepStore {
    /** Adds Queued rows for the steps that have none; existing rows are kept (a resumed pipeline). */
    void ensure(String workspace, String pipeline, List<String> steps, long now);

    /** The pipeline's steps, by name. */
    List<PipelineStep> list(String workspace, String pipeline);

    /** Writes the steps' states (their rows must exist), in one transaction. */
    void update(String workspace, String pipeline, List<PipelineStep> steps);

    /** A Completed step (of any pipeline of the workspace) with this reuse key, the earliest. */
    Optional<PipelineStep> completed(String workspace, String reuseKey);
}
