package dev.atelier.server.schedules;

import dev.atelier.api.Workspace;
import dev.atelier.server.store.Database;
import dev.atelier.server.testing.SettableClock;
import dev.atelier.server.workspace.JdbcWorkspaceStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Firing on an injected clock over a real SQLite file: due times across daylight-saving changes fire exactly once each,
 * disabled schedules never fire, the catch-up rule after downtime, start and end times, and failed submissions.
 */
class ScheduleFiringTest {
    private static final String WORKSPACE = "team";
    @TempDir
    Path dir;
    private Database database;
    private SettableClock clock;
    private RecordingJobs jobs;
    private ScheduleService schedules;

    @BeforeEach
    void open() {
        database = Database.openSqlite(dir.resolve("atelier.db"));
        new JdbcWorkspaceStore(database).createWorkspace(new Workspace(WORKSPACE, "", Map.of(), 1, 1));
        clock = new SettableClock(0);
        jobs = new RecordingJobs();
        schedules = new ScheduleService(new JdbcScheduleStore(database), jobs, clock);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aDailyCronInBerlinFiresOncePerDueTimeAcrossSpringForwardAndFallBack() {
        at("2026-03-27T12:00:00Z");
        create("""
                name: nightly
                trigger: {type: cron, expression: "30 2 * * *", time_zone: Europe/Berlin}
                create_job: {type: command, command: python train.py, compute: local}
                """);
        runEvery(Duration.ofMinutes(10), "2026-03-31T12:00:00Z");
        at("2026-10-23T12:00:00Z");
        schedules.enable(WORKSPACE, "nightly");
        runEvery(Duration.ofMinutes(10), "2026-10-27T12:00:00Z");

        assertThat(dueTimes("nightly")).containsExactly(
                "2026-03-28T01:30:00Z", "2026-03-30T00:30:00Z", "2026-03-31T00:30:00Z",
                "2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z", "2026-10-27T01:30:00Z");
        assertThat(jobs.submitted()).hasSize(7).allSatisfy(job -> {
            assertThat(job.user()).isEqualTo("ana");
            assertThat(job.document().path("tags").path("atelier.schedule").asText()).isEqualTo("nightly");
            assertThat(job.document().has("name")).isFalse();
        });
        assertThat(schedules.get(WORKSPACE, "nightly").lastJob()).isEqualTo(jobs.submitted().getLast().name());
    }

    @Test
    void aDailyRecurrenceInNewYorkFiresAtLocalHalfPastTwoAcrossBothChanges() {
        at("2026-03-06T12:00:00Z");
        create("""
                name: morning
                trigger:
                  type: recurrence
                  frequency: day
                  interval: 1
                  schedule: {hours: [2], minutes: [30]}
                  time_zone: America/New_York
                create_job: {type: command, command: echo hi}
                """);
        runEvery(Duration.ofMinutes(15), "2026-03-10T12:00:00Z");
        assertThat(dueTimes("morning")).containsExactly("2026-03-07T07:30:00Z", "2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z");
        assertThat(jobs.submitted()).hasSize(3);
    }

    @Test
    void disabledSchedulesNeverFireAndReEnabledOnesSkipWhatPassedMeanwhile() {
        at("2026-06-01T09:59:30Z");
        create("""
                name: minutely
                trigger: {type: cron, expression: "* * * * *"}
                create_job: {type: command, command: echo hi}
                """);
        schedules.disable(WORKSPACE, "minutely");
        assertThat(schedules.get(WORKSPACE, "minutely").nextFireTimes()).isEmpty();
        runEvery(Duration.ofSeconds(30), "2026-06-01T10:10:00Z");
        assertThat(jobs.submitted()).isEmpty();

        schedules.enable(WORKSPACE, "minutely");
        assertThat(schedules.get(WORKSPACE, "minutely").nextFireTimes()).first().isEqualTo("2026-06-01T10:11:00Z");
        runEvery(Duration.ofSeconds(30), "2026-06-01T10:12:00Z");
        assertThat(dueTimes("minutely")).containsExactly("2026-06-01T10:11:00Z", "2026-06-01T10:12:00Z");
    }

    @Test
    void afterDowntimeTheLastMissedTimeFiresOnceThenTheScheduleGoesOn() {
        at("2026-06-01T10:30:00Z");
        create("""
                name: hourly
                trigger: {type: cron, expression: "0 * * * *"}
                create_job: {type: command, command: echo hi}
                """);
        at("2026-06-01T15:20:00Z");  // no server ran from 10:30 to 15:20: 11:00 to 15:00 were missed
        ScheduleRunner restarted = new ScheduleRunner(schedules, CatchUp.LAST, clock);
        assertThat(restarted.tick()).isEqualTo(1);
        assertThat(restarted.tick()).isZero();
        assertThat(dueTimes("hourly")).containsExactly("2026-06-01T15:00:00Z");
        assertThat(schedules.get(WORKSPACE, "hourly").nextFireTimes()).first().isEqualTo("2026-06-01T16:00:00Z");
        at("2026-06-01T16:00:00Z");
        assertThat(restarted.tick()).isEqualTo(1);
        assertThat(dueTimes("hourly")).containsExactly("2026-06-01T15:00:00Z", "2026-06-01T16:00:00Z");
    }

    @Test
    void withCatchUpNoneMissedTimesAreSkippedAndLaterOnesFire() {
        at("2026-06-01T10:30:00Z");
        create("""
                name: hourly
                trigger: {type: cron, expression: "0 * * * *"}
                create_job: {type: command, command: echo hi}
                """);
        at("2026-06-01T15:20:00Z");
        ScheduleRunner restarted = new ScheduleRunner(schedules, CatchUp.NONE, clock);
        assertThat(restarted.tick()).isZero();
        assertThat(schedules.get(WORKSPACE, "hourly").nextFireTimes()).first().isEqualTo("2026-06-01T16:00:00Z");
        at("2026-06-01T16:00:05Z");
        assertThat(restarted.tick()).isEqualTo(1);
        assertThat(dueTimes("hourly")).containsExactly("2026-06-01T16:00:00Z");
    }

    @Test
    void startAndEndTimesBoundTheFires() {
        at("2026-06-01T10:00:00Z");
        create("""
                name: window
                trigger: {type: cron, expression: "* * * * *", start_time: "2026-06-01T10:05:00Z", end_time: "2026-06-01T10:07:00Z"}
                create_job: {type: command, command: echo hi}
                """);
        assertThat(schedules.get(WORKSPACE, "window").nextFireTimes()).containsExactly("2026-06-01T10:05:00Z", "2026-06-01T10:06:00Z",
                "2026-06-01T10:07:00Z");
        runEvery(Duration.ofSeconds(20), "2026-06-01T10:20:00Z");
        assertThat(dueTimes("window")).containsExactly("2026-06-01T10:05:00Z", "2026-06-01T10:06:00Z", "2026-06-01T10:07:00Z");
        assertThat(schedules.get(WORKSPACE, "window").nextFireTimes()).isEmpty();
    }

    @Test
    void aFailedSubmissionIsRecordedAndTheScheduleGoesOn() {
        at("2026-06-01T09:59:30Z");
        create("""
                name: minutely
                trigger: {type: cron, expression: "* * * * *"}
                create_job: {type: command, command: echo hi}
                """);
        jobs.refuse("Unknown compute 'gpu' in 'compute'");
        runEvery(Duration.ofSeconds(30), "2026-06-01T10:00:00Z");
        ScheduleView failed = schedules.get(WORKSPACE, "minutely");
        assertThat(failed.lastError()).contains("Unknown compute 'gpu'");
        assertThat(failed.lastJob()).isNull();
        assertThat(failed.nextFireTimes()).first().isEqualTo("2026-06-01T10:01:00Z");

        jobs.refuse(null);
        runEvery(Duration.ofSeconds(30), "2026-06-01T10:01:00Z");
        ScheduleView recovered = schedules.get(WORKSPACE, "minutely");
        assertThat(recovered.lastError()).isNull();
        assertThat(recovered.lastJob()).isEqualTo("job_1");
        assertThat(schedules.fires(WORKSPACE, "minutely", 10)).extracting(ScheduleFire::jobName).containsExactly("job_1", null);
    }

    @Test
    void aTriggerFiresNowWithoutMovingTheCadence() {
        at("2026-06-01T10:00:30Z");
        create("""
                name: hourly
                trigger: {type: cron, expression: "0 * * * *"}
                create_job: {type: command, command: echo hi}
                """);
        ScheduleFire fire = schedules.trigger(WORKSPACE, "hourly");
        assertThat(fire.manual()).isTrue();
        assertThat(fire.jobName()).isEqualTo("job_1");
        assertThat(schedules.get(WORKSPACE, "hourly").nextFireTimes()).first().isEqualTo("2026-06-01T11:00:00Z");
    }

    private void create(String yaml) {
        schedules.create(WORKSPACE, "ana", ScheduleFixtures.yaml(yaml));
    }

    private void at(String time) {
        clock.set(Instant.parse(time).toEpochMilli());
    }

    /** Runs a runner that started at the current time, ticking every {@code step} until {@code until}. */
    private void runEvery(Duration step, String until) {
        ScheduleRunner runner = new ScheduleRunner(schedules, CatchUp.LAST, clock);
        Instant end = Instant.parse(until);
        while (clock.instant().isBefore(end)) {
            clock.advance(step);
            runner.tick();
        }
    }

    /** The due times fired, oldest first, in UTC. */
    private List<String> dueTimes(String schedule) {
        return schedules.fires(WORKSPACE, schedule, 100).reversed().stream().map(fire -> Instant.ofEpochMilli(fire.dueAt()).toString())
                .toList();
    }
}
