package dev.atelier.server.compute.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Runs one of the server's own programs on its host to its end ({@code pg_dump}, {@code pg_restore}): trusted tools the
 * operator installed, run with the server's environment plus {@code variables}, outside the sandbox (they are not user
 * code, and they reach the database over the network). Every process the server starts is started in compute/; user
 * workloads go through {@link LocalCompute#start} instead. Stateless and thread-safe.
 */
public final class HostTools {
    /** How a tool ended: its exit status and what it wrote (standard output and error, merged). */
    public record Result(int exit, String output) {
        public Result {
            java.util.Objects.requireNonNull(output, "output is null");
        }
    }

    private HostTools() {
    }

    /**
     * Runs {@code command} and waits for it.
     *
     * @throws IOException when the program cannot be started (it is not installed)
     */
    public static Result run(List<String> command, Map<String, String> variables) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(variables);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), output);
    }
}
