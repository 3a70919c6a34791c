package dev.atelier.server.schedules;

import com.cronutils.model.time.ExecutionTime;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * The instants a trigger is due: the times of a cron expression in a time zone (cron-utils computes them, daylight-saving
 * changes included), kept when {@code every} accepts them (a recurrence's "every N days" counted from its start), within
 * {@code [start, end]}. Immutable and thread-safe.
 */
final class Cadence {
    /** Candidates examined per answer at most: a recurrence's interval is capped so that this is never reached. */
    private static final int MAX_STEPS = 200_000;

    private final ExecutionTime times;
    private final ZoneId zone;
    private final Predicate<ZonedDateTime> every;
    private final Optional<Instant> start;
    private final Optional<Instant> end;

    Cadence(ExecutionTime times, ZoneId zone, Predicate<ZonedDateTime> every, Optional<Instant> start, Optional<Instant> end) {
        this.times = requireNonNull(times, "times is null");
        this.zone = requireNonNull(zone, "zone is null");
        this.every = requireNonNull(every, "every is null");
        this.start = requireNonNull(start, "start is null");
        this.end = requireNonNull(end, "end is null");
    }

    ZoneId zone() {
        return zone;
    }

    /** The first due time strictly after {@code after} (and not before the start); empty when none is left. */
    Optional<Instant> next(Instant after) {
        Instant from = start.filter(s -> s.isAfter(after)).map(s -> s.minusMillis(1)).orElse(after);
        ZonedDateTime cursor = from.atZone(zone);
        for (int step = 0; step < MAX_STEPS; step++) {
            Optional<ZonedDateTime> candidate = times.nextExecution(cursor);
            if (candidate.isEmpty() || end.isPresent() && candidate.get().toInstant().isAfter(end.get())) {
                return Optional.empty();
            }
            if (every.test(candidate.get())) {
                return Optional.of(candidate.get().toInstant());
            }
            cursor = candidate.get();
        }
        return Optional.empty();
    }

    /** The last due time at or before {@code atOrBefore} (and not after the end); empty when there was none. */
    Optional<Instant> latest(Instant atOrBefore) {
        Instant until = end.filter(e -> e.isBefore(atOrBefore)).orElse(atOrBefore);
        ZonedDateTime cursor = until.plusMillis(1).atZone(zone);
        for (int step = 0; step < MAX_STEPS; step++) {
            Optional<ZonedDateTime> candidate = times.lastExecution(cursor);
            if (candidate.isEmpty() || start.isPresent() && candidate.get().toInstant().isBefore(start.get())) {
                return Optional.empty();
            }
            if (every.test(candidate.get())) {
                return Optional.of(candidate.get().toInstant());
            }
            cursor = candidate.get();
        }
        return Optional.empty();
    }

    /** Up to {@code count} due times after {@code after}, in order. */
    List<Instant> upcoming(Instant after, int count) {
        List<Instant> times = new ArrayList<>();
        Optional<Instant> next = next(after);
        while (next.isPresent() && times.size() < count) {
            times.add(next.get());
            next = next(next.get());
        }
        return times;
    }
}
