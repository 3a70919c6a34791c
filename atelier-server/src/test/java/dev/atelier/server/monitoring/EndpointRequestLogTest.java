package dev.atelier.server.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.atelier.server.data.DataVersion;
import dev.atelier.server.models.ModelInput;
import dev.atelier.server.models.Table;
import dev.atelier.server.models.Tensor;
import dev.atelier.server.models.TensorType;
import dev.atelier.server.models.Tensors;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointRequestLogTest {
    private static final long T0 = 1_700_000_000_000L;

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final HttpJson http = server.http();
    private static DataDomainBeside data;
    private static EndpointRequestLog log;

    @BeforeAll
    static void start() {
        data = DataDomainBeside.of(server.server());
        log = new EndpointRequestLog(data.data().data(), data.data().datastores(), new SimpleMeterRegistry(), Duration.ZERO);
    }

    @AfterAll
    static void stop() {
        log.close();
        data.close();
    }

    private static boolean offer(String endpoint, double rate, Optional<ModelInput> input, String request, String response, long at) {
        return log.offer("default", endpoint, "blue", rate, input, request.getBytes(StandardCharsets.UTF_8), "application/json",
                response.getBytes(StandardCharsets.UTF_8), at, "req-" + at);
    }

    @Test
    void loggedRequestsBecomeAReadableTableAsset() throws IOException {
        Table table = new Table(List.of("amount", "country"), List.of(List.of(12.5, "FR"), List.of(99, "DE")));
        offer("fraud", 1.0, Optional.of(table), "{}", "{\"predictions\": [0.1, 0.9]}", T0);
        Tensors tensors = Tensors.of(new Tensor("x", TensorType.FP32, List.of(1L, 3L), List.of(1f, 2f, 3f)));
        offer("fraud", 1.0, Optional.of(tensors), "{}", "[[1]]", T0 + 1);
        offer("fraud", 1.0, Optional.empty(), "{\"text\": \"a,b\"}", "not json", T0 + 2);
        List<DataVersion> written = log.flush();
        assertThat(written).hasSize(1);
        assertThat(written.getFirst().name()).isEqualTo("fraud-requests");

        JsonNode version = http.get("/api/v1/data/fraud-requests/versions/1").json();
        assertThat(version.get("type").asText()).isEqualTo("table");
        assertThat(version.get("tags").get("endpoint").asText()).isEqualTo("fraud");
        assertThat(version.get("tags").get("first_request_at").asText()).isEqualTo(Long.toString(T0));
        assertThat(version.get("tags").get("rows").asText()).isEqualTo("4");
        assertThat(version.get("profile").get("row_count").asLong()).isEqualTo(4);

        String fileName = version.get("path").asText().substring(version.get("path").asText().lastIndexOf('/') + 1);
        HttpJson.Response file = http.get("/api/v1/data/fraud-requests/versions/1/files/" + fileName);
        assertThat(file.status()).isEqualTo(200);
        List<List<String>> rows = csv(file.text());
        assertThat(rows.getFirst()).containsExactly("request_id", "timestamp", "deployment", "amount", "country", "x_0", "x_1", "x_2",
                "request", "response");
        assertThat(rows.get(1)).containsExactly("req-" + T0, "2023-11-14T22:13:20Z", "blue", "12.5", "FR", "", "", "", "", "0.1");
        assertThat(rows.get(2)).containsExactly("req-" + T0, "2023-11-14T22:13:20Z", "blue", "99", "DE", "", "", "", "", "0.9");
        assertThat(rows.get(3).subList(5, 10)).containsExactly("1.0", "2.0", "3.0", "", "[1]");
        assertThat(rows.get(4).subList(8, 10)).containsExactly("{\"text\": \"a,b\"}", "not json");
    }

    @Test
    void eachFlushAddsAnImmutableVersion() {
        Table table = new Table(List.of("a"), List.of(List.of(1)));
        offer("versions", 1.0, Optional.of(table), "{}", "[0]", T0);
        DataVersion first = log.flush().getFirst();
        offer("versions", 1.0, Optional.of(table), "{}", "[1]", T0 + 60_000);
        DataVersion second = log.flush().getFirst();
        assertThat(second.version()).isEqualTo(first.version() + 1);
        assertThat(second.path()).isNotEqualTo(first.path());
        JsonNode again = http.get("/api/v1/data/versions-requests/versions/" + first.version()).json();
        assertThat(again.get("digest").asText()).isEqualTo(first.digest());
        assertThat(log.flush()).as("nothing buffered, nothing written").isEmpty();
    }

    @Test
    void samplingKeepsTheAskedShare() {
        assertThat(offer("sampled", 0.0, Optional.empty(), "{}", "{}", T0)).isFalse();
        assertThat(offer("sampled", 1.0, Optional.empty(), "{}", "{}", T0)).isTrue();
        int kept = 0;
        for (int i = 0; i < 2_000; i++) {
            kept += offer("sampled", 0.25, Optional.empty(), "{}", "{}", T0) ? 1 : 0;
        }
        assertThat(kept).isBetween(350, 650);
        String rows = Integer.toString(kept + 1);
        assertThat(log.flush()).singleElement().satisfies(version -> assertThat(version.tags().get("rows")).isEqualTo(rows));
    }

    @Test
    void theBufferIsBoundedUntilTheNextFlush() {
        for (int i = 0; i < EndpointRequestLog.MAX_BUFFERED; i++) {
            assertThat(log.offer("default", "bounded", "blue", 1.0, Optional.empty(), new byte[0], "", new byte[0], T0, "r")).isTrue();
        }
        assertThat(log.offer("default", "bounded", "blue", 1.0, Optional.empty(), new byte[0], "", new byte[0], T0, "r")).isFalse();
        assertThat(log.flush()).singleElement().satisfies(version ->
                assertThat(version.tags().get("rows")).isEqualTo(Integer.toString(EndpointRequestLog.MAX_BUFFERED)));
        assertThat(log.offer("default", "bounded", "blue", 1.0, Optional.empty(), new byte[0], "", new byte[0], T0, "r")).isTrue();
        assertThat(log.flush()).hasSize(1);
    }

    private static List<List<String>> csv(String text) throws IOException {
        CsvMapper mapper = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();
        try (MappingIterator<List<String>> rows = mapper.readerForListOf(String.class).readValues(text)) {
            return rows.readAll();
        }
    }
}
