package dev.atelier.server.http;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import io.javalin.http.Context;

import java.util.Locale;
import java.util.Set;

/**
 * The media types the JSON APIs and the document routes take (docs/security.md, "Browser-origin
 * protection"). A web page can send {@code text/plain}, form and multipart bodies to any site
 * without asking first, but not {@code application/json}: taking only JSON keeps such "simple"
 * requests from doing anything. MLflow's Python, Java and R clients send {@code application/json}
 * with every body; parameters such as {@code charset} are allowed. A body with no Content-Type at
 * all (a page's {@code fetch} with a Blob) is refused too. Binary upload and scoring routes read
 * their bodies themselves and keep their own types.
 */
public enum BodyMediaType {
    /** {@code application/json} only. */
    JSON(Set.of("application/json"), "application/json"),
    /** A document of fields: JSON or YAML. */
    DOCUMENT(Set.of("application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"),
            "application/json or application/yaml");

    private final Set<String> accepted;
    private final String expected;

    BodyMediaType(Set<String> accepted, String expected) {
        this.accepted = accepted;
        this.expected = expected;
    }

    /**
     * Checks the Content-Type of a request that has a body.
     *
     * @return the media type sent, in lower case without parameters
     * @throws AtelierException UNSUPPORTED_MEDIA_TYPE (415) naming the type expected
     */
    public String require(Context ctx) {
        String header = ctx.header("Content-Type");
        String type = header == null ? "" : header.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!accepted.contains(type)) {
            throw new AtelierException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported Content-Type '" + (header == null ? "" : header.strip())
                    + "' on " + ctx.method() + " " + ctx.path() + ": send the body as " + expected);
        }
        return type;
    }
}
