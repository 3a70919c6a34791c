package dev.atelier.server.http;

/**
 * What the body of a route's requests is, a property of each {@link Route}. The HTTP layer reads a
 * {@link #JSON} body before the handler runs ({@link ApiRequest#read}), so a malformed one (truncated,
 * trailing data such as {@code {}{}}, {@code null}, an array, not an object) is 400
 * INVALID_PARAMETER_VALUE on every such route, also on routes whose handler reads no parameter.
 */
public enum RequestBody {
    /** MLflow-style parameters: a JSON object ({@link ApiRequest}), or no body. */
    JSON,
    /** A document of fields, JSON or YAML, read by the handler ({@link DocumentBody}). */
    DOCUMENT,
    /** Bytes the handler reads itself (uploads, scoring requests, portal forms, proxied requests); not read here. */
    OTHER
}
