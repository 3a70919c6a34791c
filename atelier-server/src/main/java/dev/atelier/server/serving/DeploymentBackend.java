package dev.atelier.server.serving;

import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.server.serving.protocol.ScoringCall;
import dev.atelier.server.serving.protocol.ScoringResponse;

import java.util.List;
import java.util.Optional;

/**
 * A started deployment that answers scoring calls: a model loaded in this JVM, managed Python
 * worker processes running a scoring script, or pods on Kubernetes. Thread-safe: one backend serves
 * concurrent calls; the endpoint router bounds how many.
 */
public interface DeploymentBackend extends AutoCloseable {
    /**
     * Answers one call in the protocol it came in.
     *
     * @throws dev.atelier.api.AtelierException a 4xx code naming the problem when the input does not fit
     *                                          the model; any other exception is a model error (a 5xx)
     */
    ScoringResponse score(ScoringCall call);

    /** Whether it can take calls now (all of its instances started and healthy enough to answer). */
    boolean ready();

    /** The model's inputs and outputs where the backend knows them (the Open Inference Protocol's metadata). */
    Optional<ModelSignature> signature();

    /** The last lines its instances wrote (stdout/stderr of workers, load messages), oldest first. */
    List<String> logs(int tail);

    /** Stops its instances and releases what it holds; calls already running may fail. */
    @Override
    void close();
}
