package dev.atelier.server.schedules;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A schedule as the API shows it. Times are epoch milliseconds, except {@code nextFireTimes}: the next due times
 * (at most five; none when disabled or when none is left), ISO-8601 with the offset of the trigger's time zone.
 *
 * @param createJob the job document each fire submits
 */
public record ScheduleView(String name, String displayName, String description, Map<String, String> tags, boolean enabled,
                           JsonNode trigger, JsonNode createJob, String timeZone, List<String> nextFireTimes, Long nextFireAt,
                           Long lastFiredAt, String lastJob, String lastError, String createdBy, long createdAt, long updatedAt) {
    public ScheduleView {
        tags = Collections.unmodifiableMap(new TreeMap<>(tags));
        nextFireTimes = List.copyOf(nextFireTimes);
    }
}
