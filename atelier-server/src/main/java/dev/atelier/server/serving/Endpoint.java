package dev.atelier.server.serving;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * An online endpoint: a stable name with a scoring URL, an auth mode and a traffic split.
 *
 * @param traffic       deployment name → percentage (summing to 100); empty: the first deployment takes all
 * @param mirrorTraffic deployment name → percentage of requests copied to it, whose answers are discarded
 */
public record Endpoint(String name, String description, AuthMode authMode, Map<String, Integer> traffic,
                       Map<String, Integer> mirrorTraffic, Map<String, String> tags, String createdBy, long createdAt,
                       long updatedAt) {
    public Endpoint {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(authMode, "authMode is null");
        traffic = Map.copyOf(requireNonNull(traffic, "traffic is null"));
        mirrorTraffic = Map.copyOf(requireNonNull(mirrorTraffic, "mirrorTraffic is null"));
        tags = Map.copyOf(requireNonNull(tags, "tags is null"));
        requireNonNull(createdBy, "createdBy is null");
    }

    public Endpoint withTraffic(Map<String, Integer> traffic, Map<String, Integer> mirrorTraffic, long now) {
        return new Endpoint(name, description, authMode, traffic, mirrorTraffic, tags, createdBy, createdAt, now);
    }

    public Endpoint withDescription(String description, Map<String, String> tags, long now) {
        return new Endpoint(name, description, authMode, traffic, mirrorTraffic, tags, createdBy, createdAt, now);
    }
}
