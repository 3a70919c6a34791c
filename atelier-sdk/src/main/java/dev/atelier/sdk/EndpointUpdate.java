package dev.atelier.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What to change on an endpoint; each field is sent only when present. {@code traffic} replaces the whole split
 * (weights summing to 100), {@code mirrorTraffic} the mirror percentages, {@code tags} all tags.
 */
public record EndpointUpdate(Optional<String> description, Optional<Map<String, String>> tags,
                             Optional<Map<String, Integer>> traffic, Optional<Map<String, Integer>> mirrorTraffic) {
    public EndpointUpdate {
        requireNonNull(description, "description is null");
        tags = requireNonNull(tags, "tags is null").map(map -> Collections.unmodifiableMap(new LinkedHashMap<>(map)));
        traffic = requireNonNull(traffic, "traffic is null").map(map -> Collections.unmodifiableMap(new LinkedHashMap<>(map)));
        mirrorTraffic = requireNonNull(mirrorTraffic, "mirrorTraffic is null")
                .map(map -> Collections.unmodifiableMap(new LinkedHashMap<>(map)));
    }

    /** Changes nothing; start from here with the {@code with...} methods. */
    public static EndpointUpdate none() {
        return new EndpointUpdate(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public EndpointUpdate withDescription(String text) {
        return new EndpointUpdate(Optional.of(text), tags, traffic, mirrorTraffic);
    }

    public EndpointUpdate withTags(Map<String, String> all) {
        return new EndpointUpdate(description, Optional.of(all), traffic, mirrorTraffic);
    }

    public EndpointUpdate withTraffic(Map<String, Integer> split) {
        return new EndpointUpdate(description, tags, Optional.of(split), mirrorTraffic);
    }

    public EndpointUpdate withMirrorTraffic(Map<String, Integer> mirror) {
        return new EndpointUpdate(description, tags, traffic, Optional.of(mirror));
    }

    public boolean isEmpty() {
        return description.isEmpty() && tags.isEmpty() && traffic.isEmpty() && mirrorTraffic.isEmpty();
    }

    /** The PATCH body. */
    ObjectNode toJson() {
        ObjectNode body = HttpTransport.mapper().createObjectNode();
        description.ifPresent(text -> body.put("description", text));
        tags.ifPresent(map -> map.forEach(body.putObject("tags")::put));
        traffic.ifPresent(map -> map.forEach(body.putObject("traffic")::put));
        mirrorTraffic.ifPresent(map -> map.forEach(body.putObject("mirror_traffic")::put));
        return body;
    }
}
