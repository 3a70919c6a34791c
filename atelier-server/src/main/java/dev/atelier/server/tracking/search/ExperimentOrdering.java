package dev.atelier.server.tracking.search;

import static java.util.Objects.requireNonNull;

/** One order_by entry of experiments/search. */
record ExperimentOrdering(ExperimentColumn column, boolean ascending) {
    ExperimentOrdering {
        requireNonNull(column, "column is null");
    }
}
