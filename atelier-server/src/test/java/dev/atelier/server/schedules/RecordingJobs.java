package dev.atelier.server.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-written {@link ScheduleJobs} that records what schedules submit, for tests of firing on an injected clock
 * (the real job service behind a server is tested in ScheduleApiTest). Refuses jobs whose compute is {@code gone}.
 */
final class RecordingJobs implements ScheduleJobs {
    /** One submitted job: its name and document. */
    record Submitted(String workspace, String user, String name, ObjectNode document) {
    }

    private final List<Submitted> submitted = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile String refusal;

    @Override
    public void validate(String workspace, String user, ObjectNode job) {
        if ("gone".equals(job.path("compute").asText())) {
            throw AtelierException.notFound("Unknown compute 'gone' in 'compute'");
        }
    }

    @Override
    public String submit(String workspace, String user, ObjectNode job) {
        validate(workspace, user, job);
        if (refusal != null) {
            throw AtelierException.notFound(refusal);
        }
        String name = "job_" + count.incrementAndGet();
        submitted.add(new Submitted(workspace, user, name, job.deepCopy()));
        return name;
    }

    @Override
    public JsonNode document(String workspace, String name) {
        throw AtelierException.notFound("Job '" + name + "' does not exist in workspace '" + workspace + "'");
    }

    /** From now on, submissions fail with this message (as when the job's compute was deleted); null accepts them again. */
    void refuse(String message) {
        this.refusal = message;
    }

    List<Submitted> submitted() {
        return List.copyOf(submitted);
    }
}
