package dev.atelier.server.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * Replays recorded MLflow exchanges (src/test/resources/mlflow-wire, format in its README) against a running server
 * and lists how the answers differ from the recorded ones: status, error code, field names, JSON types, and values
 * the requests determine. Ids the server chooses (the {@code idFields}, such as run_id or request_id) are learnt from
 * each answer and substituted into later requests and expectations; {@code volatileFields} (times) are compared by
 * type, as are the values of the tags named in {@code volatileTags}; an answer of a path in {@code ownAnswers} is a
 * value the server chooses, checked by its predicate instead. Arrays whose elements each have a distinct {@code key}
 * (tags, params) or {@code path} (files) are compared as sets. A text artifact download is compared byte for byte.
 * Not thread-safe: one per test.
 */
public final class WireReplay {
    /** The request headers sent as recorded: the body's type and encoding, and MLflow's OTLP experiment header. */
    private static final Set<String> FORWARDED_HEADERS = Set.of("content-type", "content-encoding", "x-mlflow-experiment-id");
    private final ServerExtension server;
    private final Set<String> idFields;
    private final Set<String> volatileFields;
    private final Set<String> volatileTags;
    private final Map<String, Predicate<JsonNode>> ownAnswers;
    private final Map<String, String> ids = new HashMap<>();

    public WireReplay(ServerExtension server, Set<String> idFields, Set<String> volatileFields) {
        this(server, idFields, volatileFields, Set.of(), Map.of());
    }

    public WireReplay(ServerExtension server, Set<String> idFields, Set<String> volatileFields, Set<String> volatileTags,
                      Map<String, Predicate<JsonNode>> ownAnswers) {
        this.server = server;
        this.idFields = Set.copyOf(idFields);
        this.volatileFields = Set.copyOf(volatileFields);
        this.volatileTags = Set.copyOf(volatileTags);
        this.ownAnswers = Map.copyOf(ownAnswers);
    }

    /** Replays the exchanges of {@code resource} whose seq is selected, in order; adds each difference to {@code mismatches}; returns how many. */
    public int replayAll(String resource, IntPredicate selected, List<String> mismatches) {
        int replayed = 0;
        for (JsonNode exchange : exchanges(resource)) {
            if (selected.test(exchange.get("seq").asInt())) {
                replayed++;
                mismatches.addAll(replay(exchange));
            }
        }
        return replayed;
    }

    /** The exchanges of a resource such as {@code /mlflow-wire/genai-exchanges.jsonl}, in order. */
    public static List<JsonNode> exchanges(String resource) {
        List<JsonNode> exchanges = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                WireReplay.class.getResourceAsStream(resource), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    exchanges.add(HttpJson.parse(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return exchanges;
    }

    /** Sends one exchange's request and returns its differences from the recording (empty when it matches). */
    public List<String> replay(JsonNode exchange) {
        List<String> mismatches = new ArrayList<>();
        String path = exchange.get("path").asText();
        HttpJson.Response response = server.http().send(request(exchange));
        String where = "seq " + exchange.get("seq").asInt() + " " + exchange.get("method").asText() + " " + path;
        int expectedStatus = exchange.get("status").asInt();
        if (response.status() != expectedStatus) {
            mismatches.add(where + ": status " + response.status() + ", recorded " + expectedStatus + ": " + response.text());
            return mismatches;
        }
        JsonNode recorded = exchange.get("response_body");
        switch (exchange.get("response_body_format").asText()) {
            case "json" -> {
                JsonNode ours = response.json();
                if (expectedStatus != 200) {
                    if (!recorded.get("error_code").equals(ours.get("error_code"))) {
                        mismatches.add(where + ": error " + ours + ", recorded " + recorded);
                    }
                } else {
                    learnIds(recorded, ours);
                    Predicate<JsonNode> own = ownAnswers.get(path);
                    if (own != null) {
                        if (!own.test(ours)) {
                            mismatches.add(where + ": answer " + ours + " is not one the server may choose");
                        }
                    } else {
                        compare(recorded, ours, where + " $", mismatches);
                    }
                }
            }
            case "base64" -> {
                String expected = new String(Base64.getDecoder().decode(recorded.get("base64").asText()), StandardCharsets.UTF_8);
                if (!expected.equals(response.text())) {
                    mismatches.add(where + ": body of " + response.text().length() + " characters differs from the recorded "
                            + expected.length());
                }
            }
            default -> {
            }
        }
        return mismatches;
    }

    /** {@code text} with every learnt recorded id replaced by ours. */
    public String substitute(String text) {
        String result = text;
        for (Map.Entry<String, String> id : ids.entrySet()) {
            result = result.replace(id.getKey(), id.getValue());
        }
        return result;
    }

    private HttpRequest request(JsonNode exchange) {
        String query = exchange.get("query").asText();
        String uri = server.url() + substitute(exchange.get("path").asText()) + (query.isEmpty() ? "" : "?" + substitute(query));
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(uri)).header("Accept", "*/*");
        exchange.get("request_headers").properties().forEach(header -> {
            if (FORWARDED_HEADERS.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))) {
                builder.header(header.getKey(), header.getValue().asText());
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

    private void learnIds(JsonNode recorded, JsonNode ours) {
        if (recorded.isObject() && ours.isObject()) {
            for (String field : idFields) {
                if (recorded.path(field).isTextual() && ours.path(field).isTextual()) {
                    ids.put(recorded.get(field).asText(), ours.get(field).asText());
                }
            }
            recorded.properties().forEach(entry -> learnIds(entry.getValue(), ours.path(entry.getKey())));
        } else if (recorded.isArray() && ours.isArray() && recorded.size() == ours.size()) {
            for (int i = 0; i < recorded.size(); i++) {
                learnIds(recorded.get(i), ours.get(i));
            }
        }
    }

    private void compare(JsonNode recorded, JsonNode ours, String where, List<String> mismatches) {
        if (recorded.getNodeType() != ours.getNodeType()) {
            mismatches.add(where + ": type " + ours.getNodeType() + " (" + ours + "), recorded " + recorded.getNodeType() + " (" + recorded + ")");
            return;
        }
        if (recorded.isObject()) {
            Set<String> recordedFields = new HashSet<>();
            recorded.fieldNames().forEachRemaining(recordedFields::add);
            Set<String> ourFields = new HashSet<>();
            ours.fieldNames().forEachRemaining(ourFields::add);
            if (!recordedFields.equals(ourFields)) {
                mismatches.add(where + ": fields " + ourFields + ", recorded " + recordedFields);
                return;
            }
            boolean volatileTag = recorded.has("key") && volatileTags.contains(recorded.get("key").asText());
            for (String field : recordedFields) {
                if (!volatileFields.contains(field) && !field.equals("next_page_token") && !(volatileTag && field.equals("value"))) {
                    compare(recorded.get(field), ours.get(field), where + "." + field, mismatches);
                }
            }
        } else if (recorded.isArray()) {
            compareArrays(recorded, ours, where, mismatches);
        } else if (!recorded.isTextual() ? !recorded.equals(ours) : !substitute(recorded.asText()).equals(ours.asText())) {
            mismatches.add(where + ": value " + ours + ", recorded " + recorded);
        }
    }

    /** Arrays whose elements have distinct keys or paths are compared as sets by them; others in order. */
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
            Set<String> seen = new HashSet<>();
            boolean unique = !array.isEmpty();
            for (JsonNode element : array) {
                unique &= element.has(field) && seen.add(element.get(field).asText());
            }
            if (unique) {
                return field;
            }
        }
        return null;
    }
}
