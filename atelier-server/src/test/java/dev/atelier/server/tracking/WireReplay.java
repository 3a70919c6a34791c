package dev.atelier.server.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Replays recorded exchanges between MLflow's Python client and MLflow's server
 * (src/test/resources/mlflow-wire, recorded from MLflow 2.22.1) against a server, in order, and
 * collects every answer that differs from the recorded one in status, error code, field names, JSON
 * types or the values the requests determine. Ids and timestamps differ by nature and are compared by
 * type (run ids are mapped from the recorded ones to ours as they appear). Not thread-safe: one per test class.
 */
final class WireReplay {
    private static final Set<String> VOLATILE_FIELDS = Set.of("start_time", "end_time", "timestamp", "creation_time",
            "last_update_time", "creation_timestamp", "last_updated_timestamp");
    private static final Set<String> VOLATILE_TAGS = Set.of("mlflow.log-model.history");
    /**
     * Answers whose {@code artifact_uri} is a location the server chooses: MLflow's server answers
     * get-download-uri with a version's {@code storage_location} when it has one, and Atelier's
     * versions always have one (their registry copy), where the recording's server answered the
     * source. Compared by scheme; the registry tests check that the location serves the files.
     */
    private static final Set<String> SERVER_CHOSEN_LOCATIONS = Set.of("/api/2.0/mlflow/model-versions/get-download-uri");

    private final HttpJson http;
    private final Map<String, String> runIds = new HashMap<>();

    WireReplay(HttpJson http) {
        this.http = http;
    }

    /** Replays the exchanges of {@code resource} whose seq is selected, in order; adds each difference to {@code mismatches}; returns how many. */
    int replay(String resource, IntPredicate selected, List<String> mismatches) throws IOException {
        int replayed = 0;
        for (JsonNode exchange : exchanges(resource)) {
            String path = exchange.get("path").asText();
            if (!selected.test(exchange.get("seq").asInt()) || isArtifactCall(path) && !artifactsServed()) {
                continue;
            }
            replayed++;
            HttpJson.Response response = http.send(request(exchange));
            String where = resource + " seq " + exchange.get("seq").asInt() + " " + exchange.get("method").asText() + " " + path;
            int expectedStatus = exchange.get("status").asInt();
            if (response.status() != expectedStatus) {
                mismatches.add(where + ": status " + response.status() + ", recorded " + expectedStatus + ": " + response.text());
                continue;
            }
            if (!"json".equals(exchange.get("response_body_format").asText())) {
                continue;
            }
            JsonNode recorded = exchange.get("response_body");
            JsonNode ours = response.json();
            if (expectedStatus != 200) {
                if (!recorded.get("error_code").equals(ours.get("error_code"))) {
                    mismatches.add(where + ": error " + ours + ", recorded " + recorded);
                }
                continue;
            }
            learnRunIds(recorded, ours);
            if (SERVER_CHOSEN_LOCATIONS.contains(path)) {
                if (!ours.path("artifact_uri").asText().startsWith("mlflow-artifacts:/")) {
                    mismatches.add(where + ": artifact_uri " + ours + ", expected an mlflow-artifacts: location");
                }
                continue;
            }
            compare(recorded, ours, where + " $", mismatches);
        }
        return replayed;
    }

    private static boolean isArtifactCall(String path) {
        return path.startsWith("/api/2.0/mlflow-artifacts/");
    }

    private boolean artifactsServed() {
        return http.get("/api/2.0/mlflow-artifacts/artifacts").status() != 404;
    }

    private HttpRequest request(JsonNode exchange) {
        String query = exchange.get("query").asText();
        String uri = http.baseUrl() + substitute(exchange.get("path").asText()) + (query.isEmpty() ? "" : "?" + substitute(query));
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(uri)).header("Accept", "*/*");
        exchange.get("request_headers").properties().forEach(header -> {
            if (header.getKey().equalsIgnoreCase("Content-Type")) {
                builder.header("Content-Type", header.getValue().asText());
            }
        });
        JsonNode body = exchange.get("request_body");
        HttpRequest.BodyPublisher publisher = switch (exchange.get("request_body_format").asText()) {
            case "json" -> HttpRequest.BodyPublishers.ofString(substitute(body.toString()), StandardCharsets.UTF_8);
            case "base64" -> HttpRequest.BodyPublishers.ofByteArray(Base64.getDecoder().decode(body.get("base64").asText()));
            case "truncated" -> {
                byte[] bytes = new byte[body.get("length").asInt()];
                new Random(42).nextBytes(bytes);
                yield HttpRequest.BodyPublishers.ofByteArray(bytes);
            }
            default -> exchange.get("request_framing").path("chunked").asBoolean()
                    ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[0]))
                    : HttpRequest.BodyPublishers.noBody();
        };
        return builder.method(exchange.get("method").asText(), publisher).build();
    }

    private String substitute(String text) {
        String result = text;
        for (Map.Entry<String, String> id : runIds.entrySet()) {
            result = result.replace(id.getKey(), id.getValue());
        }
        return result;
    }

    private void learnRunIds(JsonNode recorded, JsonNode ours) {
        if (recorded.isObject() && ours.isObject()) {
            for (String field : List.of("run_id", "run_uuid")) {
                if (recorded.path(field).isTextual() && ours.path(field).isTextual()) {
                    runIds.put(recorded.get(field).asText(), ours.get(field).asText());
                }
            }
            recorded.properties().forEach(entry -> learnRunIds(entry.getValue(), ours.path(entry.getKey())));
        } else if (recorded.isArray() && ours.isArray() && recorded.size() == ours.size()) {
            for (int i = 0; i < recorded.size(); i++) {
                learnRunIds(recorded.get(i), ours.get(i));
            }
        }
    }

    private void compare(JsonNode recorded, JsonNode ours, String where, List<String> mismatches) {
        if (recorded.getNodeType() != ours.getNodeType()) {
            mismatches.add(where + ": type " + ours.getNodeType() + " (" + ours + "), recorded " + recorded.getNodeType() + " (" + recorded + ")");
            return;
        }
        if (recorded.isObject()) {
            List<String> recordedFields = new ArrayList<>();
            recorded.fieldNames().forEachRemaining(recordedFields::add);
            List<String> ourFields = new ArrayList<>();
            ours.fieldNames().forEachRemaining(ourFields::add);
            if (!Set.copyOf(recordedFields).equals(Set.copyOf(ourFields))) {
                mismatches.add(where + ": fields " + ourFields + ", recorded " + recordedFields);
                return;
            }
            boolean volatileTag = recorded.has("key") && VOLATILE_TAGS.contains(recorded.get("key").asText());
            for (String field : recordedFields) {
                if (VOLATILE_FIELDS.contains(field) || volatileTag && field.equals("value")) {
                    continue;
                }
                compare(recorded.get(field), ours.get(field), where + "." + field, mismatches);
            }
        } else if (recorded.isArray()) {
            compareArrays(recorded, ours, where, mismatches);
        } else if (!recorded.isTextual() ? !recorded.equals(ours) : !substitute(recorded.asText()).equals(ours.asText())) {
            mismatches.add(where + ": value " + ours + ", recorded " + recorded);
        }
    }

    /** Arrays of key/value or file entries are compared as sets by their key; others in order. */
    private void compareArrays(JsonNode recorded, JsonNode ours, String where, List<String> mismatches) {
        if (recorded.size() != ours.size()) {
            mismatches.add(where + ": " + ours.size() + " elements " + ours + ", recorded " + recorded.size() + " " + recorded);
            return;
        }
        String identity = identityField(recorded);
        if (identity == null) {
            for (int i = 0; i < recorded.size(); i++) {
                compare(recorded.get(i), ours.get(i), where + "[" + i + "]", mismatches);
            }
            return;
        }
        Map<String, JsonNode> byIdentity = new HashMap<>();
        ours.forEach(element -> byIdentity.put(element.path(identity).asText(), element));
        for (Iterator<JsonNode> it = recorded.elements(); it.hasNext(); ) {
            JsonNode element = it.next();
            String name = element.path(identity).asText();
            JsonNode match = byIdentity.get(name);
            if (match == null) {
                mismatches.add(where + ": missing element " + element);
            } else {
                compare(element, match, where + "[" + name + "]", mismatches);
            }
        }
    }

    /** "key" or "path" when every element has a distinct one (tags, params, files); else null. */
    private static String identityField(JsonNode array) {
        for (String field : List.of("key", "path")) {
            Set<String> seen = new java.util.HashSet<>();
            boolean unique = true;
            for (JsonNode element : array) {
                unique &= element.has(field) && seen.add(element.get(field).asText());
            }
            if (unique && !array.isEmpty()) {
                return field;
            }
        }
        return null;
    }

    private static List<JsonNode> exchanges(String resource) throws IOException {
        List<JsonNode> exchanges = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                WireReplay.class.getResourceAsStream("/mlflow-wire/" + resource), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    exchanges.add(HttpJson.parse(line));
                }
            }
        }
        return exchanges;
    }
}
