package dev.atelier.server.schedules;

/**
 * One fire of a schedule: the due time it was for (for a manual trigger, the time of the request), when it was fired,
 * and the job it made or why it made none. Times are epoch milliseconds.
 */
public record ScheduleFire(long dueAt, long firedAt, boolean manual, String jobName, String error) {
}
