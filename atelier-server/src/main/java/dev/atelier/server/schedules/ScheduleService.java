package dev.atelier.server.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Creating, reading, enabling, disabling, triggering and deleting schedules, and firing the due ones
 * (docs/schedules.md). A schedule is checked whole, its job document included, before it is stored. A fire
 * submits the schedule's job as the schedule's creator; a job that cannot be submitted (its compute deleted...) is
 * recorded on the schedule as its last error and the schedule goes on. Thread-safe.
 */
public final class ScheduleService {
    static final int NEXT_FIRE_TIMES = 5;
    static final int MAX_FIRES = 1000;
    private static final int DUE_BATCH = 100;

    private final ScheduleStore store;
    private final ScheduleJobs jobs;
    private final Clock clock;

    ScheduleService(ScheduleStore store, ScheduleJobs jobs, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Validates and stores a schedule, enabled; its first fire is the first due time after now. */
    public ScheduleView create(String workspace, String user, JsonNode submitted) {
        Instant now = clock.instant();
        ScheduleDocument document = ScheduleDocument.parse(submitted, now, name -> jobs.document(workspace, name));
        if (store.get(workspace, document.name()).isPresent()) {
            throw exists(workspace, document.name());
        }
        try {
            jobs.validate(workspace, user, document.job());
        } catch (AtelierException e) {
            throw ScheduleDocument.invalid("create_job", e.getMessage());
        }
        Schedule schedule = new Schedule(workspace, document.name(), document.document(), true,
                document.cadence().next(now).map(Instant::toEpochMilli).orElse(null), null, null, null, user, now.toEpochMilli(),
                now.toEpochMilli());
        if (!store.insert(schedule)) {
            throw exists(workspace, document.name());
        }
        return get(workspace, document.name());
    }

    public ScheduleView get(String workspace, String name) {
        return view(schedule(workspace, name));
    }

    public List<ScheduleView> list(String workspace) {
        return store.list(workspace).stream().map(this::view).toList();
    }

    /** Enables a schedule: it fires from the first due time after now (none of those that passed while it was disabled). */
    public ScheduleView enable(String workspace, String name) {
        Schedule schedule = schedule(workspace, name);
        Long next = parsed(schedule).cadence().next(clock.instant()).map(Instant::toEpochMilli).orElse(null);
        store.setEnabled(workspace, name, true, next, clock.millis());
        return get(workspace, name);
    }

    public ScheduleView disable(String workspace, String name) {
        schedule(workspace, name);
        store.setEnabled(workspace, name, false, null, clock.millis());
        return get(workspace, name);
    }

    /**
     * Fires the schedule now, once, outside its cadence (enabled or not); its next due time is unchanged. The fire is
     * recorded whether or not the job could be submitted; when it could not, the job service's error is thrown.
     */
    public ScheduleFire trigger(String workspace, String name) {
        Schedule schedule = schedule(workspace, name);
        ScheduleFire fire = fire(schedule, parsed(schedule), clock.millis(), true);
        if (fire.error() != null) {
            throw AtelierException.invalidState("Schedule '" + name + "' could not submit its job: " + fire.error());
        }
        return fire;
    }

    public void delete(String workspace, String name) {
        if (!store.delete(workspace, name)) {
            throw notFound(workspace, name);
        }
    }

    /** The schedule's fires, newest first: the job each made or why it made none. */
    public List<ScheduleFire> fires(String workspace, String name, int maxResults) {
        schedule(workspace, name);
        if (maxResults < 1 || maxResults > MAX_FIRES) {
            throw AtelierException.invalidParameter("Invalid value " + maxResults + " for parameter 'max_results': use 1 to " + MAX_FIRES);
        }
        return store.fires(workspace, name, maxResults);
    }

    /**
     * Fires every enabled schedule due at {@code now}, each due time once across servers. When several due times of a
     * schedule passed, only the latest fires; one that passed before {@code started} (this server was not running) fires
     * only with {@link CatchUp#LAST}. Either way the schedule moves on to its first due time after {@code now}.
     *
     * @return the number of jobs submitted (or attempted)
     */
    int fireDue(Instant started, CatchUp catchUp) {
        Instant now = clock.instant();
        int fired = 0;
        for (Schedule schedule : store.due(now.toEpochMilli(), DUE_BATCH)) {
            ScheduleDocument document;
            try {
                document = parsed(schedule);
            } catch (AtelierException e) {  // a document stored by an older version that this one refuses
                store.claim(schedule.workspace(), schedule.name(), schedule.nextFireAt(), null, Optional.empty(), now.toEpochMilli());
                store.recordFire(schedule.workspace(), schedule.name(), new ScheduleFire(schedule.nextFireAt(), now.toEpochMilli(), false,
                        null, e.getMessage()));
                continue;
            }
            Cadence cadence = document.cadence();
            Instant due = Instant.ofEpochMilli(schedule.nextFireAt());
            Optional<Instant> next = cadence.next(due);
            if (next.isPresent() && !next.get().isAfter(now)) {
                due = cadence.latest(now).orElse(due);
                next = cadence.next(now);
            }
            boolean fire = catchUp == CatchUp.LAST || !due.isBefore(started);
            if (store.claim(schedule.workspace(), schedule.name(), schedule.nextFireAt(), next.map(Instant::toEpochMilli).orElse(null),
                    fire ? Optional.of(due.toEpochMilli()) : Optional.empty(), now.toEpochMilli()) && fire) {
                fire(schedule, document, due.toEpochMilli(), false);
                fired++;
            }
        }
        return fired;
    }

    private ScheduleFire fire(Schedule schedule, ScheduleDocument document, long due, boolean manual) {
        String job = null;
        String error = null;
        try {
            job = jobs.submit(schedule.workspace(), schedule.createdBy(), document.job());
        } catch (RuntimeException e) {  // recorded on the schedule, which goes on
            error = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        ScheduleFire fire = new ScheduleFire(due, clock.millis(), manual, job, error);
        store.recordFire(schedule.workspace(), schedule.name(), fire);
        return fire;
    }

    private Schedule schedule(String workspace, String name) {
        return store.get(workspace, name).orElseThrow(() -> notFound(workspace, name));
    }

    private static ScheduleDocument parsed(Schedule schedule) {
        return ScheduleDocument.parse(schedule.document(), Instant.ofEpochMilli(schedule.createdAt()), name -> {
            throw new IllegalStateException("a stored schedule's job is inline");
        });
    }

    private ScheduleView view(Schedule schedule) {
        ScheduleDocument document = parsed(schedule);
        List<Instant> times = new ArrayList<>();
        if (schedule.nextFireAt() != null) {
            Instant next = Instant.ofEpochMilli(schedule.nextFireAt());
            times.add(next);
            times.addAll(document.cadence().upcoming(next, NEXT_FIRE_TIMES - 1));
        }
        List<String> nextTimes = times.stream().map(time -> OffsetDateTime.ofInstant(time, document.cadence().zone())
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).toList();
        JsonNode root = document.document();
        Map<String, String> tags = new TreeMap<>();
        root.path("tags").properties().forEach(tag -> tags.put(tag.getKey(), tag.getValue().asText()));
        return new ScheduleView(schedule.name(), root.path("display_name").asText(schedule.name()), root.path("description").asText(""),
                tags, schedule.enabled(), root.get("trigger"), document.job(), document.cadence().zone().getId(), nextTimes,
                schedule.nextFireAt(), schedule.lastFiredAt(), schedule.lastJob(), schedule.lastError(), schedule.createdBy(),
                schedule.createdAt(), schedule.updatedAt());
    }

    private static AtelierException notFound(String workspace, String name) {
        return AtelierException.notFound("Schedule '" + name + "' does not exist in workspace '" + workspace + "'");
    }

    private static AtelierException exists(String workspace, String name) {
        return AtelierException.alreadyExists("Schedule '" + name + "' already exists in workspace '" + workspace + "'");
    }
}
