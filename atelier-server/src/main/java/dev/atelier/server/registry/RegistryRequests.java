package dev.atelier.server.registry;

import dev.atelier.server.http.ApiRequest;
import dev.atelier.server.tracking.KeyValue;

import java.util.List;

/** Reads the registry's message shapes (tags) out of a request. */
final class RegistryRequests {
    private RegistryRequests() {
    }

    /** A list of {@code {"key": ..., "value": ...}} objects; a missing value is the empty string. */
    static List<KeyValue> keyValues(ApiRequest request, String field) {
        return request.objectList(field).stream()
                .map(item -> new KeyValue(item.requiredString("key"), item.optionalString("value").orElse("")))
                .toList();
    }

    /** The {@code key} and {@code value} of a set-tag call. */
    static KeyValue tag(ApiRequest request) {
        return new KeyValue(request.requiredString("key"), request.optionalString("value").orElse(""));
    }
}
