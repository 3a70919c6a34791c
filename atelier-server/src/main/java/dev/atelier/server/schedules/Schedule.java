package dev.atelier.server.schedules;

import com.fasterxml.jackson.databind.node.ObjectNode;

import static java.util.Objects.requireNonNull;

/**
 * A schedule as stored. Times are epoch milliseconds; nullable fields are {@code null} until they apply.
 *
 * @param document    the validated schedule document, its {@code create_job} resolved ({@link ScheduleDocument})
 * @param nextFireAt  the next due time; {@code null} when disabled or when no due time is left (past {@code end_time})
 * @param lastFiredAt the due time (or trigger time) of the last fire
 * @param lastJob     the job the last fire made; {@code null} when it made none
 * @param lastError   why the last fire made no job; {@code null} when it made one
 */
record Schedule(String workspace, String name, ObjectNode document, boolean enabled, Long nextFireAt, Long lastFiredAt,
                String lastJob, String lastError, String createdBy, long createdAt, long updatedAt) {
    Schedule {
        requireNonNull(workspace, "workspace is null");
        requireNonNull(name, "name is null");
        requireNonNull(document, "document is null");
        requireNonNull(createdBy, "createdBy is null");
    }
}
