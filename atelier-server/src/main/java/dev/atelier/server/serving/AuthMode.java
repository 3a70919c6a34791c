package dev.atelier.server.serving;

import dev.atelier.api.AtelierException;

/** How callers of an endpoint authenticate (docs/endpoints.md). */
public enum AuthMode {
    /** {@code Authorization: Bearer <key>} with the endpoint's primary or secondary key, as in Azure ML. */
    KEY("key"),
    /** Atelier's own credentials (API tokens), with WRITE in the endpoint's workspace. */
    TOKEN("aml_token");

    private final String wireName;

    AuthMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static AuthMode parse(String value) {
        return switch (value) {
            case "key" -> KEY;
            case "aml_token", "token" -> TOKEN;
            default -> throw AtelierException.invalidParameter("Invalid value '" + value + "' for 'auth_mode': use key or aml_token");
        };
    }
}
