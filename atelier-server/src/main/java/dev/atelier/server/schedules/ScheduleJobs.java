package dev.atelier.server.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The jobs schedules make: in the server, {@code jobs.JobService} behind it ({@link SchedulesModule}). Methods throw
 * {@link dev.atelier.api.AtelierException} as the job service does. Implementations are thread-safe.
 */
interface ScheduleJobs {
    /** Checks a job document as a submission would, writing nothing. */
    void validate(String workspace, String user, ObjectNode job);

    /** Submits the job as {@code user}; returns its name. */
    String submit(String workspace, String user, ObjectNode job);

    /** The stored document of an existing job (what {@code azureml:<name>} in {@code create_job} stands for); NOT_FOUND. */
    JsonNode document(String workspace, String name);
}
