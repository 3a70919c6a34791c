package dev.atelier.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The caller's API tokens ({@code /api/v1/tokens}). Thread-safe. Methods throw
 * {@link dev.atelier.api.AtelierException} and {@link ServerUnreachableException}.
 */
public final class TokenClient {
    static final String PATH = "/api/v1/tokens";

    private final HttpTransport transport;

    TokenClient(HttpTransport transport) {
        this.transport = requireNonNull(transport, "transport is null");
    }

    /** Creates a token; its secret is in the answer and nowhere else, ever. */
    public CreatedToken create(TokenRequest request) {
        requireNonNull(request, "request is null");
        ObjectNode body = HttpTransport.mapper().createObjectNode().put("name", request.name());
        request.expiresInDays().ifPresent(days -> body.put("expires_in_days", days));
        request.workspace().ifPresent(workspace -> body.put("workspace", workspace));
        if (request.readOnly()) {
            body.put("read_only", true);
        }
        return CreatedToken.fromJson(transport.post(PATH, body));
    }

    /** The caller's own tokens, without their secrets. */
    public List<ApiToken> list() {
        List<ApiToken> tokens = new ArrayList<>();
        transport.get(PATH).path("tokens").forEach(node -> tokens.add(ApiToken.fromJson(node)));
        return tokens;
    }

    /** Revokes a token: the caller's own, or anyone's for a server admin. */
    public void revoke(String id) {
        transport.delete(PATH + "/" + HttpTransport.encode(requireNonNull(id, "id is null")));
    }
}
