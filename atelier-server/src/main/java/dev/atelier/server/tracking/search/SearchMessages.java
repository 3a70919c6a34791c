package dev.atelier.server.tracking.search;

import java.util.Collection;
import java.util.stream.Collectors;

/** Formatting shared by error messages, close to how MLflow's Python prints sets and lists. */
final class SearchMessages {
    private SearchMessages() {
    }

    /** {@code {'a', 'b'}}, as Python prints a set of strings. */
    static String describe(Collection<String> names) {
        return names.stream().map(name -> "'" + name + "'").collect(Collectors.joining(", ", "{", "}"));
    }

    /** {@code ['a', 'b']}, as Python prints a list of strings. */
    static String describeList(Collection<String> names) {
        return names.stream().map(name -> "'" + name + "'").collect(Collectors.joining(", ", "[", "]"));
    }
}
