package dev.atelier.server.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.server.http.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Drift reports as JSON: the API's form, and the stored form of their features. Thread-safe (no state). */
final class DriftJson {
    private DriftJson() {
    }

    static Map<String, Object> report(DriftReport report) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", report.id());
        json.put("endpoint", report.endpoint());
        json.put("reference", report.reference());
        report.deployment().ifPresent(deployment -> json.put("deployment", deployment));
        json.put("from", report.from());
        json.put("to", report.to());
        json.put("reference_rows", report.referenceRows());
        json.put("current_rows", report.currentRows());
        json.put("drift_detected", report.driftDetected());
        json.put("psi_threshold", DriftService.PSI_THRESHOLD);
        json.put("p_value_threshold", DriftService.P_VALUE_THRESHOLD);
        json.put("features", features(report.features()));
        json.put("reference_only_columns", report.referenceOnly());
        json.put("logged_only_columns", report.loggedOnly());
        json.put("created_by", report.createdBy());
        json.put("created_at", report.createdAt());
        return json;
    }

    static ArrayNode features(List<FeatureDrift> features) {
        ArrayNode array = Json.mapper().createArrayNode();
        for (FeatureDrift feature : features) {
            array.addObject()
                    .put("name", feature.name())
                    .put("kind", feature.kind().wireName())
                    .put("psi", feature.psi())
                    .put("test", feature.test().wireName())
                    .put("statistic", feature.statistic())
                    .put("p_value", feature.pValue())
                    .put("drifted", feature.drifted())
                    .put("reference_count", feature.referenceCount())
                    .put("current_count", feature.currentCount())
                    .put("reference_missing", feature.referenceMissing())
                    .put("current_missing", feature.currentMissing());
        }
        return array;
    }

    /** The stored form of a report's features and column lists. */
    static String stored(DriftReport report) {
        ObjectNode stored = Json.mapper().createObjectNode();
        stored.set("features", features(report.features()));
        ArrayNode referenceOnly = stored.putArray("reference_only");
        report.referenceOnly().forEach(referenceOnly::add);
        ArrayNode loggedOnly = stored.putArray("logged_only");
        report.loggedOnly().forEach(loggedOnly::add);
        return stored.toString();
    }

    static List<FeatureDrift> storedFeatures(JsonNode stored) {
        List<FeatureDrift> features = new ArrayList<>();
        for (JsonNode feature : stored.path("features")) {
            features.add(new FeatureDrift(feature.path("name").asText(), FeatureDrift.Kind.parse(feature.path("kind").asText()),
                    feature.path("psi").asDouble(), FeatureDrift.Test.parse(feature.path("test").asText()),
                    feature.path("statistic").asDouble(), feature.path("p_value").asDouble(), feature.path("drifted").asBoolean(),
                    feature.path("reference_count").asLong(), feature.path("current_count").asLong(),
                    feature.path("reference_missing").asLong(), feature.path("current_missing").asLong()));
        }
        return features;
    }

    static List<String> storedColumns(JsonNode stored, String field) {
        List<String> columns = new ArrayList<>();
        stored.path(field).forEach(column -> columns.add(column.asText()));
        return columns;
    }
}
