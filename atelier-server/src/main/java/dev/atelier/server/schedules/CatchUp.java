package dev.atelier.server.schedules;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a server does with due times that passed before it started (all servers were down): {@code LAST} fires the
 * latest of them once, {@code NONE} fires none; either way the schedule moves on to its next future due time
 * ({@code --schedule-catch-up}, docs/schedules.md).
 */
public enum CatchUp {
    LAST, NONE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CatchUp> parse(String value) {
        return Arrays.stream(values()).filter(c -> c.wireName().equals(value)).findFirst();
    }
}
