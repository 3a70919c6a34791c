package dev.atelier.server.tracking;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.atelier.server.http.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a get-history answer, {@code {"metrics": [...], "next_page_token": ...}}, with a streaming
 * generator: histories run to tens of thousands of points and this is twice as fast as binding
 * records. Non-finite values are written as the strings MLflow uses.
 */
final class MetricHistoryJson {
    private MetricHistoryJson() {
    }

    static byte[] write(Page<Metric> page) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + page.items().size() * 80);
        try (JsonGenerator json = Json.mapper().getFactory().createGenerator(bytes)) {
            json.writeStartObject();
            if (!page.items().isEmpty()) {
                json.writeArrayFieldStart("metrics");
                for (Metric metric : page.items()) {
                    json.writeStartObject();
                    json.writeStringField("key", metric.key());
                    json.writeNumberField("value", metric.value());
                    json.writeNumberField("timestamp", metric.timestamp());
                    json.writeNumberField("step", metric.step());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            if (page.nextPageToken().isPresent()) {
                json.writeStringField("next_page_token", page.nextPageToken().get());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
