package dev.atelier.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads a point in time as people write it: a duration ago ({@code 1h}, {@code 7d}, as
 * {@link DurationConverter} reads it), an ISO instant ({@code 2025-01-31T12:00:00Z}), or a local
 * date and time ({@code 2025-01-31T12:00}) or date ({@code 2025-01-31}) in this machine's zone.
 */
final class TimeConverter implements ITypeConverter<Instant> {
    private final Clock clock;

    TimeConverter() {
        this(Clock.systemDefaultZone());
    }

    TimeConverter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Instant convert(String value) {
        String text = value.strip();
        if (!text.isEmpty() && Character.isDigit(text.charAt(text.length() - 1)) || text.contains("-") || text.contains(":")) {
            return parseTime(value, text);
        }
        try {
            return clock.instant().minus(new DurationConverter().convert(text));
        } catch (TypeConversionException e) {
            throw invalid(value);
        }
    }

    private Instant parseTime(String value, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDateTime.parse(text).atZone(clock.getZone()).toInstant();
            } catch (DateTimeParseException notADateTime) {
                try {
                    return LocalDate.parse(text).atStartOfDay(clock.getZone()).toInstant();
                } catch (DateTimeParseException notADate) {
                    throw invalid(value);
                }
            }
        }
    }

    private static TypeConversionException invalid(String value) {
        return new TypeConversionException("expected a duration ago such as 1h or 7d, or a time such as 2025-01-31T12:00:00Z, "
                + "2025-01-31T12:00 or 2025-01-31, got '" + value + "'");
    }
}
