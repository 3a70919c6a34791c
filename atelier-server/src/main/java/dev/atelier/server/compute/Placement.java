package dev.atelier.server.compute;

import static java.util.Objects.requireNonNull;

/**
 * Where a run-to-completion workload finds things, as it sees them, so a domain can bind its command before the
 * launch: the working directory (the code), each staged input's folder, each output's path (below
 * {@code <code>/outputs}), and the URL at which it reaches the server.
 */
public record Placement(String codeDir, String inputsDir, String serverUrl) {
    public Placement {
        requireNonNull(codeDir, "codeDir is null");
        requireNonNull(inputsDir, "inputsDir is null");
        requireNonNull(serverUrl, "serverUrl is null");
    }

    public String input(String name) {
        return inputsDir + "/" + name;
    }

    public String outputs() {
        return codeDir + "/outputs";
    }

    public String output(String name) {
        return outputs() + "/" + name;
    }
}
