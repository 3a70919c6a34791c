package dev.atelier.server.tracking;

import dev.atelier.server.http.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class MetricHistoryJsonTest {
    @Test
    void writesWhatTheRecordSerializerWrites() throws Exception {
        Page<Metric> page = new Page<>(List.of(new Metric("loss", 1.0, 10, 0), new Metric("loss", Double.NaN, 11, 1),
                new Metric("loss", Double.POSITIVE_INFINITY, 12, 2), new Metric("loss", Double.NEGATIVE_INFINITY, 13, 3),
                new Metric("loss", 0.25, 14, 4)), Optional.of("token"));
        String expected = Json.mapper().writeValueAsString(java.util.Map.of("metrics", page.items(), "next_page_token", "token"));
        String written = new String(MetricHistoryJson.write(page), StandardCharsets.UTF_8);
        assertThat(Json.mapper().readTree(written)).isEqualTo(Json.mapper().readTree(expected));
        assertThat(written).contains("\"value\":\"NaN\"").contains("\"value\":\"Infinity\"").contains("\"value\":\"-Infinity\"")
                .contains("\"value\":1.0");
    }

    @Test
    void anEmptyLastPageIsAnEmptyObject() {
        assertThat(new String(MetricHistoryJson.write(new Page<>(List.of(), Optional.empty())), StandardCharsets.UTF_8)).isEqualTo("{}");
    }
}
