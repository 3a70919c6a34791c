package dev.atelier.server.compute;

import java.io.IOException;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * Files a run-to-completion workload finds in place when it starts: its code, or one named input. A domain says
 * how to fill each one on the server ({@link Filler}, used by backends that run on the server's host) and where a
 * remote workload fetches it ({@code remoteZip}: a path below the workspace's base URL answering a zip, fetched
 * with the workload's token).
 */
public sealed interface Staged {
    Filler local();

    String remoteZip();

    /** The working directory's contents (a code snapshot). */
    record Code(Filler local, String remoteZip) implements Staged {
        public Code {
            requireNonNull(local, "local is null");
            requireNonNull(remoteZip, "remoteZip is null");
        }
    }

    /** The folder of input {@code name} ({@link Placement#input}). */
    record Input(String name, Filler local, String remoteZip) implements Staged {
        public Input {
            requireNonNull(name, "name is null");
            requireNonNull(local, "local is null");
            requireNonNull(remoteZip, "remoteZip is null");
        }
    }

    /** Fills an empty folder on the server's host. */
    @FunctionalInterface
    interface Filler {
        void fill(Path folder) throws IOException;
    }
}
