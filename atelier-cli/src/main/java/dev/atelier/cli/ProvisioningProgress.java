package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * A deployment's provisioning on standard error while the command waits (standard output stays the command's
 * answer): a line per state with the seconds elapsed, and a dot every few seconds while the state lasts. Not
 * thread-safe.
 */
final class ProvisioningProgress implements Consumer<JsonNode> {
    private static final long DOT_NANOS = 2_000_000_000L;

    private final PrintWriter err;
    private final String what;
    private final long start = System.nanoTime();
    private String state = "";
    private long lastOutput = start;

    ProvisioningProgress(PrintWriter err, String what) {
        this.err = requireNonNull(err, "err is null");
        this.what = requireNonNull(what, "what is null");
    }

    @Override
    public void accept(JsonNode deployment) {
        String current = deployment.path("provisioning_state").asText();
        long now = System.nanoTime();
        if (!current.equals(state)) {
            err.print((state.isEmpty() ? "" : "\n") + what + ": " + current + " (" + (now - start) / 1_000_000_000L + "s)");
            state = current;
            lastOutput = now;
        } else if (now - lastOutput >= DOT_NANOS) {
            err.print('.');
            lastOutput = now;
        }
        err.flush();
    }

    /** Ends the line once waiting is over. */
    void done() {
        if (!state.isEmpty()) {
            err.println();
            err.flush();
        }
    }
}
