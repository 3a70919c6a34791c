package dev.atelier.server.monitoring;

import java.util.Set;

/**
 * The columns of a request log table besides the model's inputs (docs/endpoints-monitoring.md).
 * An input column that has one of these names is written as {@code input.<name>}.
 */
final class RequestLogColumns {
    static final String REQUEST_ID = "request_id";
    static final String TIMESTAMP = "timestamp";
    static final String DEPLOYMENT = "deployment";
    /** The raw request body, for requests whose input could not be parsed (scoring-script deployments). */
    static final String REQUEST = "request";
    /** The answer for the row as JSON text: its own prediction where the answer has one per row, else the whole answer. */
    static final String RESPONSE = "response";
    static final Set<String> RESERVED = Set.of(REQUEST_ID, TIMESTAMP, DEPLOYMENT, REQUEST, RESPONSE);

    private RequestLogColumns() {
    }

    /** The name an input column is written under. */
    static String inputColumn(String name) {
        return RESERVED.contains(name) ? "input." + name : name;
    }

    /** Whether a column of a logged table holds a model input (a drift feature). */
    static boolean isInput(String column) {
        return !RESERVED.contains(column);
    }
}
