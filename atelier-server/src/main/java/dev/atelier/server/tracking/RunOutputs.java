package dev.atelier.server.tracking;

import java.util.List;
import java.util.Map;

/**
 * A domain that records what runs produce, such as MLflow 3's logged models (LogOutputs), says what a run produced, so
 * that runs/get and runs/search can answer MLflow 3's {@code outputs} without tracking knowing that domain. Registered with
 * {@link TrackingService#addRunOutputs}; called on any thread.
 */
@FunctionalInterface
public interface RunOutputs {
    /** For each of these runs that produced logged models, their ids, each with its step. */
    Map<String, Map<String, Long>> modelOutputs(String workspace, List<String> runIds);
}
