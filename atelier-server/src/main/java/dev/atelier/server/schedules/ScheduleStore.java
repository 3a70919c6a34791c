package dev.atelier.server.schedules;

import java.util.List;
import java.util.Optional;

/**
 * Schedules and their fires. A due time is claimed by {@link #claim}, a conditional update from the next fire time a
 * server read to the following one, so that servers sharing one database fire each due time once. Implementations
 * are thread-safe.
 */
interface ScheduleStore {
    /** False when the name is taken in the workspace. */
    boolean insert(Schedule schedule);

    Optional<Schedule> get(String workspace, String name);

    /** The workspace's schedules by name. */
    List<Schedule> list(String workspace);

    /** Enabled schedules of every workspace whose next fire time is at or before {@code now}, the most overdue first. */
    List<Schedule> due(long now, int limit);

    /**
     * Moves an enabled schedule's next fire time from {@code expected} to {@code next} ({@code null}: none left), recording
     * {@code firedDue} as its last fire when present; false when another server moved it first or it was disabled.
     */
    boolean claim(String workspace, String name, long expected, Long next, Optional<Long> firedDue, long now);

    /** Enables (with its next fire time) or disables (next fire time cleared) a schedule; false when it does not exist. */
    boolean setEnabled(String workspace, String name, boolean enabled, Long next, long now);

    /** Records a fire and, as the schedule's last one, its job or error. */
    void recordFire(String workspace, String name, ScheduleFire fire);

    /** The schedule's fires, newest first. */
    List<ScheduleFire> fires(String workspace, String name, int limit);

    /** False when it did not exist. */
    boolean delete(String workspace, String name);
}
