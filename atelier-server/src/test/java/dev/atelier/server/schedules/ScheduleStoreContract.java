package dev.atelier.server.schedules;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.Workspace;
import dev.atelier.server.store.Database;
import dev.atelier.server.testing.SettableClock;
import dev.atelier.server.workspace.JdbcWorkspaceStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The schedule store's claims, fires and deletions, and two servers' runners over one database, on SQLite and on PostgreSQL. */
abstract class ScheduleStoreContract {
    private static final String WORKSPACE = "team";
    private Database database;
    private ScheduleStore store;

    protected abstract Database openDatabase();

    @BeforeEach
    void open() {
        database = openDatabase();
        store = new JdbcScheduleStore(database);
        new JdbcWorkspaceStore(database).createWorkspace(new Workspace(WORKSPACE, "", Map.of(), 1, 1));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aDueTimeIsClaimedOnceAndMovesToTheNext() {
        assertThat(store.insert(schedule("nightly", 1_000L))).isTrue();
        assertThat(store.insert(schedule("nightly", 5_000L))).as("name taken").isFalse();
        assertThat(store.due(999, 10)).isEmpty();
        assertThat(store.due(1_000, 10)).extracting(Schedule::name).containsExactly("nightly");

        assertThat(store.claim(WORKSPACE, "nightly", 1_000, 2_000L, Optional.of(1_000L), 1_001)).isTrue();
        assertThat(store.claim(WORKSPACE, "nightly", 1_000, 2_000L, Optional.of(1_000L), 1_002)).as("already claimed").isFalse();
        Schedule claimed = store.get(WORKSPACE, "nightly").orElseThrow();
        assertThat(claimed.nextFireAt()).isEqualTo(2_000L);
        assertThat(claimed.lastFiredAt()).isEqualTo(1_000L);

        assertThat(store.claim(WORKSPACE, "nightly", 2_000, null, Optional.empty(), 2_001)).as("skipped, none left").isTrue();
        Schedule ended = store.get(WORKSPACE, "nightly").orElseThrow();
        assertThat(ended.nextFireAt()).isNull();
        assertThat(ended.lastFiredAt()).as("a skip is no fire").isEqualTo(1_000L);
        assertThat(store.due(Long.MAX_VALUE, 10)).isEmpty();
    }

    @Test
    void disabledSchedulesAreNeitherDueNorClaimed() {
        store.insert(schedule("paused", 1_000L));
        assertThat(store.setEnabled(WORKSPACE, "paused", false, null, 500)).isTrue();
        assertThat(store.due(5_000, 10)).isEmpty();
        assertThat(store.claim(WORKSPACE, "paused", 1_000, 2_000L, Optional.of(1_000L), 1_001)).isFalse();
        assertThat(store.setEnabled(WORKSPACE, "paused", true, 3_000L, 2_500)).isTrue();
        assertThat(store.get(WORKSPACE, "paused").orElseThrow()).extracting(Schedule::enabled, Schedule::nextFireAt)
                .containsExactly(true, 3_000L);
        assertThat(store.setEnabled(WORKSPACE, "missing", true, 3_000L, 2_500)).isFalse();
    }

    @Test
    void firesAreListedNewestFirstAndTheLastOneIsOnTheSchedule() {
        store.insert(schedule("nightly", 1_000L));
        store.recordFire(WORKSPACE, "nightly", new ScheduleFire(1_000, 1_010, false, "job_a", null));
        store.recordFire(WORKSPACE, "nightly", new ScheduleFire(1_500, 1_500, true, null, "Unknown compute 'gone'"));
        assertThat(store.fires(WORKSPACE, "nightly", 10)).extracting(ScheduleFire::jobName, ScheduleFire::manual)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(null, true), org.assertj.core.groups.Tuple.tuple("job_a", false));
        Schedule schedule = store.get(WORKSPACE, "nightly").orElseThrow();
        assertThat(schedule.lastJob()).isNull();
        assertThat(schedule.lastError()).isEqualTo("Unknown compute 'gone'");
        assertThat(store.fires(WORKSPACE, "nightly", 1)).hasSize(1);
    }

    @Test
    void deletingAScheduleOrItsWorkspaceRemovesItsFires() {
        store.insert(schedule("nightly", 1_000L));
        store.insert(schedule("hourly", 1_000L));
        store.recordFire(WORKSPACE, "nightly", new ScheduleFire(1_000, 1_010, false, "job_a", null));
        assertThat(store.delete(WORKSPACE, "nightly")).isTrue();
        assertThat(store.delete(WORKSPACE, "nightly")).isFalse();
        assertThat(store.fires(WORKSPACE, "nightly", 10)).isEmpty();
        assertThat(store.list(WORKSPACE)).extracting(Schedule::name).containsExactly("hourly");
        new JdbcWorkspaceStore(database).deleteWorkspace(WORKSPACE);
        assertThat(store.due(Long.MAX_VALUE, 10)).isEmpty();
    }

    @Test
    void twoServersRunnersOverOneDatabaseFireEachDueTimeOnce() {
        SettableClock clock = new SettableClock(Instant.parse("2026-06-01T09:59:00Z").toEpochMilli());
        RecordingJobs jobs = new RecordingJobs();
        ScheduleService first = new ScheduleService(store, jobs, clock);
        ScheduleService second = new ScheduleService(new JdbcScheduleStore(database), jobs, clock);
        first.create(WORKSPACE, "ana", ScheduleFixtures.yaml("""
                name: every-minute
                trigger: {type: cron, expression: "* * * * *"}
                create_job: {type: command, command: echo hi}
                """));
        ScheduleRunner a = new ScheduleRunner(first, CatchUp.LAST, clock);
        ScheduleRunner b = new ScheduleRunner(second, CatchUp.LAST, clock);
        for (int minute = 0; minute < 5; minute++) {
            clock.advance(Duration.ofMinutes(1));
            assertThat(a.tick() + b.tick()).as("minute %d fires once", minute).isEqualTo(1);
            assertThat(a.tick() + b.tick()).isZero();
        }
        assertThat(jobs.submitted()).hasSize(5);
        assertThat(first.fires(WORKSPACE, "every-minute", 100)).extracting(ScheduleFire::dueAt).doesNotHaveDuplicates().hasSize(5);
    }

    private static Schedule schedule(String name, Long next) {
        ObjectNode document = JsonNodeFactory.instance.objectNode().put("name", name);
        return new Schedule(WORKSPACE, name, document, true, next, null, null, null, "ana", 0, 0);
    }
}
