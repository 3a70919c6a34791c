package dev.atelier.server.schedules;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When triggers are due, as cron-utils computes them in the trigger's time zone: across daylight-saving changes, with
 * intervals counted from the start, within start and end times.
 */
class CadenceTest {
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aDailyCronAtHalfPastTwoInBerlinSkipsTheMissingHourAndFiresOnceInTheRepeatedOne() {
        Cadence cadence = trigger("{type: cron, expression: '30 2 * * *', time_zone: Europe/Berlin}");
        // 2026-03-29 02:00 CET jumps to 03:00 CEST: 02:30 does not exist that day, and cron-utils yields no time for it.
        assertThat(cadence.upcoming(Instant.parse("2026-03-27T12:00:00Z"), 3)).containsExactly(
                Instant.parse("2026-03-28T01:30:00Z"), Instant.parse("2026-03-30T00:30:00Z"), Instant.parse("2026-03-31T00:30:00Z"));
        // 2026-10-25 03:00 CEST falls back to 02:00 CET: 02:30 happens twice, and fires once, at its first (summer) occurrence.
        assertThat(cadence.upcoming(Instant.parse("2026-10-23T12:00:00Z"), 3)).containsExactly(
                Instant.parse("2026-10-24T00:30:00Z"), Instant.parse("2026-10-25T00:30:00Z"), Instant.parse("2026-10-26T01:30:00Z"));
    }

    @Test
    void aDailyRecurrenceInNewYorkFollowsLocalTimeAcrossBothChanges() {
        Cadence cadence = trigger("""
                {type: recurrence, frequency: day, interval: 1, schedule: {hours: [2], minutes: [30]}, time_zone: America/New_York}
                """);
        // 2026-03-08: 02:00 EST jumps to 03:00 EDT, no 02:30 that day.
        assertThat(cadence.upcoming(Instant.parse("2026-03-06T12:00:00Z"), 3)).containsExactly(
                Instant.parse("2026-03-07T07:30:00Z"), Instant.parse("2026-03-09T06:30:00Z"), Instant.parse("2026-03-10T06:30:00Z"));
        // 2026-11-01: 02:00 EDT falls back to 01:00 EST; 02:30 exists once, in EST.
        assertThat(cadence.upcoming(Instant.parse("2026-10-31T00:00:00Z"), 3)).containsExactly(
                Instant.parse("2026-10-31T06:30:00Z"), Instant.parse("2026-11-01T07:30:00Z"), Instant.parse("2026-11-02T07:30:00Z"));
    }

    @Test
    void anHourlyIntervalCountsRealHoursFromItsStartAcrossTheFallBack() {
        Cadence cadence = trigger("""
                {type: recurrence, frequency: hour, interval: 6, start_time: "2026-10-24T12:00:00", time_zone: Europe/Berlin}
                """);
        assertThat(cadence.upcoming(Instant.parse("2026-10-24T00:00:00Z"), 5)).containsExactly(
                Instant.parse("2026-10-24T10:00:00Z"), Instant.parse("2026-10-24T16:00:00Z"), Instant.parse("2026-10-24T22:00:00Z"),
                Instant.parse("2026-10-25T04:00:00Z"), Instant.parse("2026-10-25T10:00:00Z"));
    }

    @Test
    void aWeeklyRecurrenceEveryOtherWeekFiresOnItsWeekDaysCountedFromTheStart() {
        Cadence cadence = trigger("""
                {type: recurrence, frequency: week, interval: 2, start_time: "2026-06-01T00:00:00Z",
                 pattern: {hours: 9, minutes: 15, week_days: [monday, thursday]}}
                """);
        assertThat(cadence.upcoming(Instant.parse("2026-06-01T00:00:00Z"), 4)).containsExactly(
                Instant.parse("2026-06-01T09:15:00Z"), Instant.parse("2026-06-04T09:15:00Z"), Instant.parse("2026-06-15T09:15:00Z"),
                Instant.parse("2026-06-18T09:15:00Z"));
    }

    @Test
    void startAndEndTimesBoundTheDueTimesAndTheLatestOneIsFoundBackwards() {
        Cadence cadence = trigger("""
                {type: cron, expression: '*/10 * * * *', start_time: "2026-06-01T10:05:00", end_time: "2026-06-01T10:40:00",
                 time_zone: W. Europe Standard Time}
                """);
        List<Instant> times = cadence.upcoming(Instant.parse("2026-06-01T00:00:00Z"), 10);
        assertThat(times).containsExactly(Instant.parse("2026-06-01T08:10:00Z"), Instant.parse("2026-06-01T08:20:00Z"),
                Instant.parse("2026-06-01T08:30:00Z"), Instant.parse("2026-06-01T08:40:00Z"));
        assertThat(cadence.latest(Instant.parse("2026-06-01T08:35:00Z"))).contains(Instant.parse("2026-06-01T08:30:00Z"));
        assertThat(cadence.latest(Instant.parse("2026-06-01T08:30:00Z"))).as("a due time at the instant counts")
                .contains(Instant.parse("2026-06-01T08:30:00Z"));
        assertThat(cadence.latest(Instant.parse("2026-06-02T00:00:00Z"))).contains(Instant.parse("2026-06-01T08:40:00Z"));
        assertThat(cadence.latest(Instant.parse("2026-06-01T08:09:00Z"))).isEmpty();
        assertThat(cadence.next(Instant.parse("2026-06-01T08:40:00Z"))).isEmpty();
    }

    private static Cadence trigger(String yaml) {
        return TriggerDocument.parse(ScheduleFixtures.yaml(yaml), CREATED);
    }
}
