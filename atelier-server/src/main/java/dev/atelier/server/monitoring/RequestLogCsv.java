package dev.atelier.server.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.atelier.server.http.Json;
import dev.atelier.server.models.ModelInput;
import dev.atelier.server.models.Table;
import dev.atelier.server.models.Tensor;
import dev.atelier.server.models.Tensors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns logged requests into one CSV table (RFC 4180, written by Jackson's CSV module): one row per
 * input row with {@code request_id}, {@code timestamp} (ISO-8601 UTC), {@code deployment}, the input
 * columns (a table's columns; a tensor of shape {@code [n]} as one column {@code <name>}, of shape
 * {@code [n, ...]} as columns {@code <name>_<i>} of its flattened row), {@code request} (the raw body,
 * only for inputs that could not be parsed) and {@code response}. Columns are the union over the
 * requests, in order of first appearance; a row lacking one leaves it empty. A request without a
 * parsed input is read by {@link LoggedInputs}. Thread-safe (no state).
 */
final class RequestLogCsv {
    private static final CsvMapper CSV = new CsvMapper();

    private RequestLogCsv() {
    }

    static byte[] write(List<LoggedRequest> requests) {
        List<Map<String, String>> rows = new ArrayList<>();
        LinkedHashSet<String> columns = new LinkedHashSet<>(List.of(RequestLogColumns.REQUEST_ID, RequestLogColumns.TIMESTAMP,
                RequestLogColumns.DEPLOYMENT));
        for (LoggedRequest request : requests) {
            List<Map<String, String>> inputs = inputRows(request);
            List<String> responses = ResponseRows.split(request.responseBody(), inputs.size());
            for (int i = 0; i < inputs.size(); i++) {
                Map<String, String> row = new LinkedHashMap<>();
                row.put(RequestLogColumns.REQUEST_ID, request.requestId());
                row.put(RequestLogColumns.TIMESTAMP, Instant.ofEpochMilli(request.epochMillis()).toString());
                row.put(RequestLogColumns.DEPLOYMENT, request.deployment());
                row.putAll(inputs.get(i));
                row.put(RequestLogColumns.RESPONSE, responses.get(i));
                columns.addAll(row.keySet());
                rows.add(row);
            }
        }
        columns.remove(RequestLogColumns.RESPONSE);
        columns.add(RequestLogColumns.RESPONSE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var writer = CSV.writer(CsvSchema.emptySchema()).forType(String[].class).writeValues(out)) {
            writer.write(columns.toArray(String[]::new));
            for (Map<String, String> row : rows) {
                writer.write(columns.stream().map(column -> row.getOrDefault(column, "")).toArray(String[]::new));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the request log table failed", e);
        }
        return out.toByteArray();
    }

    /** The input columns of each row the request carried: one row holding the raw body when it has no parsed input. */
    private static List<Map<String, String>> inputRows(LoggedRequest request) {
        Optional<ModelInput> input = request.input().isPresent() ? request.input() : LoggedInputs.parse(request.requestBody());
        Optional<List<Map<String, String>>> parsed = input.flatMap(RequestLogCsv::rows);
        return parsed.filter(rows -> !rows.isEmpty()).orElseGet(() -> List.of(Map.of(RequestLogColumns.REQUEST,
                rawBody(request.requestBody(), request.contentType()))));
    }

    private static Optional<List<Map<String, String>>> rows(ModelInput input) {
        return switch (input) {
            case Table table -> Optional.of(tableRows(table));
            case Tensors tensors -> tensorRows(tensors);
        };
    }

    private static List<Map<String, String>> tableRows(Table table) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (List<Object> values : table.rows()) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < values.size(); i++) {
                row.put(RequestLogColumns.inputColumn(table.columns().get(i)), cell(values.get(i)));
            }
            rows.add(row);
        }
        return rows;
    }

    /** Empty when the tensors do not share one batch dimension (then the raw body is logged). */
    private static Optional<List<Map<String, String>>> tensorRows(Tensors tensors) {
        if (tensors.tensors().isEmpty()) {
            return Optional.empty();
        }
        long batch = tensors.batchSize();
        for (Tensor tensor : tensors.tensors()) {
            if (tensor.shape().isEmpty() || tensor.shape().getFirst() != batch) {
                return Optional.empty();
            }
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (int r = 0; r < batch; r++) {
            Map<String, String> row = new LinkedHashMap<>();
            for (Tensor tensor : tensors.tensors()) {
                int width = (int) (tensor.values().size() / batch);
                if (tensor.shape().size() == 1) {
                    row.put(RequestLogColumns.inputColumn(tensor.name()), cell(tensor.values().get(r)));
                } else {
                    for (int i = 0; i < width; i++) {
                        row.put(RequestLogColumns.inputColumn(tensor.name() + "_" + i), cell(tensor.values().get(r * width + i)));
                    }
                }
            }
            rows.add(row);
        }
        return Optional.of(rows);
    }

    private static String cell(Object value) {
        return value == null ? "" : value.toString();
    }

    /** Text bodies as they are; any other body as {@code base64:<bytes>}. */
    private static String rawBody(byte[] body, String contentType) {
        String type = contentType.toLowerCase(java.util.Locale.ROOT);
        boolean text = type.isEmpty() || type.startsWith("text/") || type.contains("json") || type.contains("csv")
                || type.contains("yaml") || type.contains("xml");
        return text ? new String(body, StandardCharsets.UTF_8) : "base64:" + Base64.getEncoder().encodeToString(body);
    }

    /** Splits an answer into one JSON text per input row where it has one entry per row. */
    static final class ResponseRows {
        private ResponseRows() {
        }

        static List<String> split(byte[] body, int rows) {
            String whole = new String(body, StandardCharsets.UTF_8);
            JsonNode json;
            try {
                json = Json.mapper().readTree(body);
            } catch (IOException e) {
                return repeat(whole, rows);
            }
            if (json == null) {
                return repeat(whole, rows);
            }
            JsonNode perRow = json.isArray() ? json : json.path("predictions");
            if (perRow.isArray() && perRow.size() == rows) {
                List<String> split = new ArrayList<>();
                perRow.forEach(entry -> split.add(entry.toString()));
                return split;
            }
            return repeat(json.toString(), rows);
        }

        private static List<String> repeat(String text, int rows) {
            return java.util.Collections.nCopies(rows, text);
        }
    }
}
