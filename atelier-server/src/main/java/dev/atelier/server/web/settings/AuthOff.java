package dev.atelier.server.web.settings;

import dev.atelier.api.AtelierException;

/** What the members and tokens pages say, and their actions answer, when the server runs without {@code --auth}. */
final class AuthOff {
    static final String EXPLANATION = "Authentication is off: every request from this machine acts as the local user, "
            + "who may do everything. Users, roles and API tokens exist only when the server is started with --auth "
            + "(atelier server --auth; docs/security.md).";

    private AuthOff() {
    }

    static AtelierException refusal() {
        return AtelierException.invalidState(EXPLANATION);
    }
}
