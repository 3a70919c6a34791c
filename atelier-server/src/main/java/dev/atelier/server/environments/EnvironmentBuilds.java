package dev.atelier.server.environments;

import com.fasterxml.jackson.annotation.JsonValue;

import static java.util.Objects.requireNonNull;

/**
 * What the compute that builds environments tells about one version's build (its state and log), for the API and
 * the portal. Implemented by the local target's builder; this package does not know how builds run. Implementations
 * are thread-safe.
 */
public interface EnvironmentBuilds {
    /** For servers and tests without a builder: nothing is ever built. */
    EnvironmentBuilds NONE = environment -> Build.NOT_APPLICABLE;

    Build build(Environment environment);

    /** Where a build stands. */
    enum State {
        /** The environment needs no build (a process or image environment). */
        NOT_APPLICABLE("not_applicable"),
        /** No job asked for it yet (or gc removed it). */
        NOT_BUILT("not_built"),
        BUILDING("building"),
        BUILT("built"),
        /** The last build failed; the next job that needs it builds it again. */
        FAILED("failed");

        private final String wireName;

        State(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }

    /**
     * @param digest the SHA-256 of the specification the build is keyed by (empty when not applicable)
     * @param log    the build log so far (every build of this digest, appended), empty when none
     */
    record Build(State state, String digest, String log) {
        public static final Build NOT_APPLICABLE = new Build(State.NOT_APPLICABLE, "", "");

        public Build {
            requireNonNull(state, "state is null");
            requireNonNull(digest, "digest is null");
            requireNonNull(log, "log is null");
        }
    }
}
