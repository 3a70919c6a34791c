package dev.atelier.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.atelier.api.AtelierException;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body that is a document of fields (a job, an endpoint, a deployment): YAML when
 * the Content-Type says so ({@code application/yaml}, {@code text/yaml}...), JSON for
 * {@code application/json}, 415 for any other type ({@link BodyMediaType#DOCUMENT}), at most 1 MiB,
 * and a mapping.
 */
public final class DocumentBody {
    public static final int MAX_BYTES = 1024 * 1024;
    private static final YAMLMapper YAML = new YAMLMapper();

    private DocumentBody() {
    }

    /**
     * @param what the document's name in error messages ({@code job}, {@code deployment}, ...)
     * @param hint what the mapping holds, for the error message of a body that is none, such as {@code " (type, command, ...)"}
     * @throws AtelierException INVALID_PARAMETER_VALUE naming the line and column of a syntax error
     */
    public static ObjectNode read(Context ctx, String what, String hint) {
        if (ApiRequest.bodyRead(ctx)) {
            // a programming error, not the client's: the body was consumed as JSON before the handler ran
            throw new IllegalStateException("The route of " + ctx.path() + " reads a " + what + " document but is marked as a JSON "
                    + "route: declare it with .withBody(RequestBody.DOCUMENT)");
        }
        byte[] bytes;
        try (InputStream in = ctx.bodyInputStream()) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw AtelierException.invalidParameter("Could not read the " + what + " document: " + e.getMessage());
        }
        if (bytes.length > MAX_BYTES) {
            throw AtelierException.invalidParameter("The " + what + " document is larger than " + MAX_BYTES + " bytes");
        }
        boolean yaml = bytes.length > 0 && BodyMediaType.DOCUMENT.require(ctx).contains("yaml");
        try {
            JsonNode node = bytes.length == 0 ? null : (yaml ? YAML : Json.mapper()).readTree(bytes);
            if (!(node instanceof ObjectNode object)) {
                throw AtelierException.invalidParameter("Invalid " + what + " document: expected a mapping of fields" + hint);
            }
            return object;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw AtelierException.invalidParameter("Invalid " + (yaml ? "YAML" : "JSON") + " in the " + what + " document" + where + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw AtelierException.invalidParameter("Could not read the " + what + " document: " + e.getMessage());
        }
    }
}
