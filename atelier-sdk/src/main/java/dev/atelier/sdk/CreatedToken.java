package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import static java.util.Objects.requireNonNull;

/**
 * A token just created: its secret ({@code atl_...}), which the server shows this once, and its
 * description. {@code toString} hides the secret.
 */
public record CreatedToken(String secret, ApiToken token) {
    public CreatedToken {
        requireNonNull(secret, "secret is null");
        requireNonNull(token, "token is null");
    }

    static CreatedToken fromJson(JsonNode node) {
        return new CreatedToken(JsonFields.text(node, "token"), ApiToken.fromJson(node));
    }

    @Override
    public String toString() {
        return "CreatedToken[secret=***, token=" + token + "]";
    }
}
