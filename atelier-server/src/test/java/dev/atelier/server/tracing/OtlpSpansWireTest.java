package dev.atelier.server.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import dev.atelier.server.testing.WireReplay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays golden exchanges of spans kept in the database, written from the protocols (opentelemetry-proto's
 * ExportTraceServiceRequest and Span; MLflow's service.proto Trace, GetTrace, BatchGetTraces, GetTraceInfoV3; protobuf's
 * JSON mapping with snake_case names, ids base64, times as numbers) in
 * src/test/resources/mlflow-wire/otlp-spans-exchanges.jsonl: a binary protobuf export as MLflow's exporter sends it
 * (plain and gzip), an OTLP JSON export (hex ids, lowerCamelCase, child before root), the trace created from its spans,
 * StartTraceV3 afterwards keeping {@code mlflow.trace.spansLocation}, a trace whose spans are an artifact, and the 4xx
 * answers to malformed exports. Every value is exact: the client chooses the ids. The portal's trace page then shows
 * the spans from the database.
 */
class OtlpSpansWireTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void everyGoldenOtlpSpanExchangeGetsItsAnswer() {
        WireReplay replay = new WireReplay(server, Set.of(), Set.of());
        List<String> mismatches = new ArrayList<>();
        List<JsonNode> exchanges = WireReplay.exchanges("/mlflow-wire/otlp-spans-exchanges.jsonl");
        for (JsonNode exchange : exchanges) {
            mismatches.addAll(replay.replay(exchange));
        }
        assertThat(exchanges).hasSizeGreaterThan(20);
        assertThat(mismatches).isEmpty();

        HttpJson.Response page = server.http().get("/traces/tr-5b1f0e6a9c2d4e8f8a7b6c5d4e3f2a11");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).as("the portal shows the spans kept in the database")
                .contains("data-span=\"answer\"", "data-span=\"llm\"", "first_token", "llm.tokens", "LLM")
                .doesNotContain("id=\"no-spans\"", "mlflow.traceRequestId");
    }
}
