package dev.atelier.server.tracking;

import java.util.Map;

/**
 * A domain that records what runs produce, such as MLflow 3's logged models (LogOutputs), says what a run produced, so
 * that runs/get can answer MLflow 3's {@code outputs} without tracking knowing that domain. Registered with
 * {@link TrackingService#addRunOutputs}; called on any thread.
 */
@FunctionalInterface
public interface RunOutputs {
    /** The ids of the logged models the run produced, each with its step; empty when none. */
    Map<String, Long> modelOutputs(String workspace, String runId);
}
