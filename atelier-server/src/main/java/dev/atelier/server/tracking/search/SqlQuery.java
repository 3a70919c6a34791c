package dev.atelier.server.tracking.search;

import java.util.Collections;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A SQL statement with positional {@code ?} parameters, bound in list order. User values only ever
 * travel in {@link #parameters()}, never inside {@link #sql()}.
 */
public record SqlQuery(String sql, List<Object> parameters) {
    public SqlQuery {
        requireNonNull(sql, "sql is null");
        requireNonNull(parameters, "parameters is null");
        parameters = Collections.unmodifiableList(List.copyOf(parameters));
    }

    /** The parameters as an array, the shape {@code Handle.select(String, Object...)} takes. */
    public Object[] parameterArray() {
        return parameters.toArray();
    }
}
