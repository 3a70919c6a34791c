package dev.atelier.server.components;

import java.util.Set;

/** The rules shared by components' records (literal checks, optional command parts). */
final class ComponentRules {
    private ComponentRules() {
    }

    static void checkLiteral(ComponentInput input, String field, String value) {
        throw new UnsupportedOperationException("to be written with the components issue");
    }

    static String commandFor(ComponentSpec spec, Set<String> provided) {
        throw new UnsupportedOperationException("to be written with the components issue");
    }
}
