package dev.atelier.server.schedules;

import java.time.DayOfWeek;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.Optional;

/** A recurrence trigger's unit (Azure ML's {@code frequency}): how its interval is counted from the start. */
enum Frequency {
    MINUTE, HOUR, DAY, WEEK, MONTH;

    String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Optional<Frequency> parse(String value) {
        return Arrays.stream(values()).filter(f -> f.wireName().equals(value)).findFirst();
    }

    /** Whole units of this frequency from {@code anchor} to {@code time}, counted on the calendar of their zone. */
    long unitsBetween(ZonedDateTime anchor, ZonedDateTime time) {
        return switch (this) {
            case MINUTE -> ChronoUnit.MINUTES.between(anchor.truncatedTo(ChronoUnit.MINUTES), time);
            case HOUR -> ChronoUnit.HOURS.between(anchor.truncatedTo(ChronoUnit.HOURS), time);
            case DAY -> ChronoUnit.DAYS.between(anchor.toLocalDate(), time.toLocalDate());
            case WEEK -> ChronoUnit.WEEKS.between(anchor.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)),
                    time.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)));
            case MONTH -> ChronoUnit.MONTHS.between(YearMonth.from(anchor), YearMonth.from(time));
        };
    }
}
