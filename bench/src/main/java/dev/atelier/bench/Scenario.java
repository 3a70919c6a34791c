package dev.atelier.bench;

import static java.util.Objects.requireNonNull;

/**
 * One line of the report.
 *
 * @param name      what was measured
 * @param target    the goal, as text ("≥ 2,000 runs/s"); "—" when there is none
 * @param measured  the figure, as text
 * @param verdict   whether the target was met
 * @param reference MLflow 2.22 + SQLite on a comparable machine, "—" when unknown
 * @param notes     details: percentiles, sizes, errors
 */
record Scenario(String name, String target, String measured, Verdict verdict, String reference, String notes) {
    Scenario {
        requireNonNull(name, "name is null");
        requireNonNull(target, "target is null");
        requireNonNull(measured, "measured is null");
        requireNonNull(verdict, "verdict is null");
        requireNonNull(reference, "reference is null");
        requireNonNull(notes, "notes is null");
    }

    /** Whether a figure met its target. */
    enum Verdict {
        MET("met"),
        MISSED("**missed**"),
        NO_TARGET(""),
        NOT_MEASURABLE("not measurable yet");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        static Verdict of(boolean met) {
            return met ? MET : MISSED;
        }

        String text() {
            return text;
        }
    }

    String markdownRow() {
        return "| " + String.join(" | ", name, target, measured, verdict.text(), reference, notes.replace("|", "\\|")) + " |";
    }
}
