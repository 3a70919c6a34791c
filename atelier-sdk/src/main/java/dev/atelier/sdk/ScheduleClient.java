package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Schedules of this client's workspace ({@code /api/v1/schedules}): creating, enabling, disabling, triggering and
 * deleting need WRITE. Thread-safe. Methods throw {@link dev.atelier.api.AtelierException} and
 * {@link ServerUnreachableException}.
 */
public final class ScheduleClient {
    private final HttpTransport transport;
    private final Function<String, String> paths;

    ScheduleClient(HttpTransport transport, Function<String, String> paths) {
        this.transport = requireNonNull(transport, "transport is null");
        this.paths = requireNonNull(paths, "paths is null");
    }

    /** Creates a schedule from its document, whose {@code create_job} is inline or {@code azureml:<job>} ({@link ScheduleDocuments#prepare}). */
    public Schedule create(ObjectNode document) {
        return Schedule.fromJson(transport.post(paths.apply("schedules"), requireNonNull(document, "document is null")));
    }

    /** The workspace's schedules by name. */
    public List<Schedule> list() {
        List<Schedule> schedules = new ArrayList<>();
        transport.get(paths.apply("schedules")).path("schedules").forEach(node -> schedules.add(Schedule.fromJson(node)));
        return schedules;
    }

    public Schedule get(String name) {
        return Schedule.fromJson(transport.get(path(name)));
    }

    public Schedule enable(String name) {
        return Schedule.fromJson(transport.post(path(name) + "/enable", HttpTransport.mapper().createObjectNode()));
    }

    public Schedule disable(String name) {
        return Schedule.fromJson(transport.post(path(name) + "/disable", HttpTransport.mapper().createObjectNode()));
    }

    /** Fires the schedule now, once; returns the fire ({@code job_name}, {@code fired_at}, ...). */
    public JsonNode trigger(String name) {
        return transport.post(path(name) + "/trigger", HttpTransport.mapper().createObjectNode());
    }

    /** The schedule's fires, newest first: each with {@code job_name} or {@code error}, {@code due_at}, {@code fired_at}, {@code manual}. */
    public List<JsonNode> jobs(String name, int maxResults) {
        List<JsonNode> fires = new ArrayList<>();
        transport.get(path(name) + "/jobs?max_results=" + maxResults).path("jobs").forEach(fires::add);
        return fires;
    }

    public void delete(String name) {
        transport.delete(path(name));
    }

    private String path(String name) {
        return paths.apply("schedules/" + HttpTransport.encode(requireNonNull(name, "name is null")));
    }
}
