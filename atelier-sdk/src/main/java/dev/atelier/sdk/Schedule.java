package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A schedule as the server reports it.
 *
 * @param nextFireTimes the next due times (at most five), ISO-8601 with the offset of the trigger's time zone; none when
 *                      disabled or past its end time
 * @param lastJob       the job its last fire made
 * @param lastError     why its last fire made no job
 * @param json          the schedule exactly as the server sent it (trigger, create_job, times)
 */
public record Schedule(String name, boolean enabled, String timeZone, List<String> nextFireTimes, Optional<String> lastJob,
                       Optional<String> lastError, JsonNode json) {
    public Schedule {
        requireNonNull(name, "name is null");
        nextFireTimes = List.copyOf(nextFireTimes);
        requireNonNull(json, "json is null");
    }

    static Schedule fromJson(JsonNode node) {
        List<String> times = new ArrayList<>();
        node.path("next_fire_times").forEach(time -> times.add(time.asText()));
        return new Schedule(JsonFields.text(node, "name"), node.path("enabled").asBoolean(), JsonFields.text(node, "time_zone"), times,
                JsonFields.optionalText(node, "last_job"), JsonFields.optionalText(node, "last_error"), node);
    }
}
