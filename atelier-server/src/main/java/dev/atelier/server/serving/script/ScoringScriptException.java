package dev.atelier.server.serving.script;

/**
 * A model error of a scoring-script deployment: its {@code run()} raised (the message is the runner's
 * {@code "<type>: <message>"}, the traceback is in the deployment's logs), a worker died during the call, or the
 * answer cannot be put in the call's protocol. The endpoint router answers it with a 5xx and a request id.
 */
public final class ScoringScriptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ScoringScriptException(String message) {
        super(message);
    }

    public ScoringScriptException(String message, Throwable cause) {
        super(message, cause);
    }
}
