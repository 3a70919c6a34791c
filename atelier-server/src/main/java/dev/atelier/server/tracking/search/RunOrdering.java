package dev.atelier.server.tracking.search;

import static java.util.Objects.requireNonNull;

/** One parsed order_by entry of runs/search. */
record RunOrdering(Key key, boolean ascending) {
    RunOrdering {
        requireNonNull(key, "key is null");
    }

    /** What runs are ordered by. */
    sealed interface Key {
    }

    /** The run's latest value of a metric: values first, then NaN, then runs without the metric. */
    record Metric(String key) implements Key {
        public Metric {
            requireNonNull(key, "key is null");
        }
    }

    /** A param's value as text; runs without the param come last. */
    record Param(String key) implements Key {
        public Param {
            requireNonNull(key, "key is null");
        }
    }

    /** A tag's value as text; runs without the tag come last. */
    record Tag(String key) implements Key {
        public Tag {
            requireNonNull(key, "key is null");
        }
    }

    /** A column of the run; null values (end_time of a running run) come last. */
    record Attribute(RunAttribute attribute) implements Key {
        public Attribute {
            requireNonNull(attribute, "attribute is null");
        }
    }
}
