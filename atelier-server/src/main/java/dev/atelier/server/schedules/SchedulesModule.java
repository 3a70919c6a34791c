package dev.atelier.server.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.http.RouteTable;
import dev.atelier.server.jobs.JobService;
import dev.atelier.server.store.Database;

import java.time.Clock;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Schedules wired for the composition root (docs/schedules.md): {@link #create} builds the service, its routes and
 * this server's runner over the job service; {@link #start} starts firing; {@link #close} stops it (before jobs close).
 */
public final class SchedulesModule implements AutoCloseable {
    private final ScheduleService schedules;
    private final ScheduleRunner runner;

    private SchedulesModule(ScheduleService schedules, ScheduleRunner runner) {
        this.schedules = schedules;
        this.runner = runner;
    }

    public static SchedulesModule create(Database database, JobService jobs, CatchUp catchUp, Clock clock) {
        requireNonNull(jobs, "jobs is null");
        ScheduleService schedules = new ScheduleService(new JdbcScheduleStore(database), new ScheduleJobs() {
            @Override
            public void validate(String workspace, String user, ObjectNode job) {
                jobs.validate(workspace, user, job);
            }

            @Override
            public String submit(String workspace, String user, ObjectNode job) {
                return jobs.submit(workspace, user, job).name();
            }

            @Override
            public JsonNode document(String workspace, String name) {
                return jobs.get(workspace, name).spec();
            }
        }, clock);
        return new SchedulesModule(schedules, new ScheduleRunner(schedules, catchUp, clock));
    }

    public ScheduleService schedules() {
        return schedules;
    }

    public List<RouteTable> routes() {
        return List.of(new ScheduleRoutes(schedules));
    }

    /** Starts firing due schedules. */
    public void start() {
        runner.start();
    }

    @Override
    public void close() {
        runner.close();
    }
}
