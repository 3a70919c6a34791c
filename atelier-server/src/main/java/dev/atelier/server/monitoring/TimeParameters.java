package dev.atelier.server.monitoring;

import dev.atelier.api.AtelierException;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the time parameters of the monitoring routes: instants and bucket sizes. Thread-safe (no state). */
final class TimeParameters {
    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]{1,6})([smhd])");
    /** Bucket sizes picked when none is asked for: the smallest giving at most {@value #DEFAULT_POINTS} points. */
    private static final List<Duration> DEFAULT_BUCKETS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1), Duration.ofDays(7));
    static final int DEFAULT_POINTS = 300;
    static final int MAX_POINTS = 5_000;

    private TimeParameters() {
    }

    /** An instant given as epoch milliseconds or ISO-8601 ({@code 2026-01-31T12:00:00Z}); empty when absent. */
    static Optional<Long> instant(String field, Optional<String> value) {
        if (value.isEmpty() || value.get().isBlank()) {
            return Optional.empty();
        }
        String text = value.get().trim();
        if (text.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Long.parseLong(text));
            } catch (NumberFormatException e) {
                throw invalid(field, text, "epoch milliseconds out of range");
            }
        }
        try {
            return Optional.of(Instant.parse(text).toEpochMilli());
        } catch (DateTimeParseException e) {
            throw invalid(field, text, "expected epoch milliseconds or an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }

    /**
     * A bucket size: {@code 5m}, {@code 1h}, {@code 1d}, {@code 300s} or ISO-8601 ({@code PT5M}), a whole
     * number of minutes; when absent, the smallest standard size giving at most {@value #DEFAULT_POINTS} points.
     */
    static long bucketMillis(Optional<String> value, long fromMillis, long toMillis) {
        long span = toMillis - fromMillis;
        if (value.isEmpty() || value.get().isBlank()) {
            return DEFAULT_BUCKETS.stream().mapToLong(Duration::toMillis).filter(size -> span / size <= DEFAULT_POINTS)
                    .findFirst().orElse(DEFAULT_BUCKETS.getLast().toMillis());
        }
        String text = value.get().trim();
        long millis = parseDuration(text);
        if (millis <= 0 || millis % 60_000 != 0) {
            throw invalid("bucket", text, "a bucket is a whole number of minutes, such as 1m, 5m, 1h or 1d");
        }
        if (span / millis > MAX_POINTS) {
            throw invalid("bucket", text, "it would give more than " + MAX_POINTS + " points between 'from' and 'to'; "
                    + "use a larger bucket");
        }
        return millis;
    }

    private static long parseDuration(String text) {
        Matcher matcher = SHORT_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "s" -> Duration.ofSeconds(amount).toMillis();
                case "m" -> Duration.ofMinutes(amount).toMillis();
                case "h" -> Duration.ofHours(amount).toMillis();
                default -> Duration.ofDays(amount).toMillis();
            };
        }
        try {
            return Duration.parse(text).toMillis();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw invalid("bucket", text, "expected a duration such as 1m, 5m, 1h, 1d or PT5M");
        }
    }

    static AtelierException invalid(String field, String value, String why) {
        return AtelierException.invalidParameter("Invalid value '" + value + "' for parameter '" + field + "': " + why);
    }
}
