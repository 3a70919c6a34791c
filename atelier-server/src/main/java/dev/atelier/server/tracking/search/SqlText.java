package dev.atelier.server.tracking.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** SQL text being assembled together with its positional parameters, which stay in step. Not thread-safe. */
public final class SqlText {
    private final StringBuilder sql = new StringBuilder();
    private final List<Object> parameters = new ArrayList<>();

    /** Appends {@code fragment}, whose {@code ?} markers take {@code fragmentParameters} in order. */
    public SqlText append(String fragment, Object... fragmentParameters) {
        sql.append(fragment);
        Collections.addAll(parameters, fragmentParameters);
        return this;
    }

    SqlText append(SqlText other) {
        sql.append(other.sql);
        parameters.addAll(other.parameters);
        return this;
    }

    /** Appends {@code (?, ?, ...)} binding {@code values}. */
    SqlText appendList(List<?> values) {
        sql.append('(');
        for (int i = 0; i < values.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        sql.append(')');
        parameters.addAll(values);
        return this;
    }

    boolean isEmpty() {
        return sql.isEmpty();
    }

    public SqlQuery toQuery() {
        return new SqlQuery(sql.toString(), parameters);
    }
}
