package dev.atelier.server.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.ServerExtension;
import dev.atelier.server.testing.WireReplay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the tracing part (seq 1-22) of the real exchanges of MLflow 2.22.1's client with its server
 * (src/test/resources/mlflow-wire/genai-exchanges.jsonl): an experiment, two traces started, their spans uploaded as
 * traces.json, ended, searched (plain, by status, ordered and paged), read back, tagged and untagged, and deleted by
 * ids and by time. Every answer must have the recorded status, fields, types and request-determined values; request
 * ids and times are the server's own.
 */
class TraceWireReplayTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void everyRecordedTracingExchangeGetsTheRecordedAnswer() {
        WireReplay replay = new WireReplay(server, Set.of("request_id"), Set.of("timestamp_ms", "execution_time_ms",
                "creation_time", "last_update_time"));
        List<String> mismatches = new ArrayList<>();
        int replayed = 0;
        for (JsonNode exchange : WireReplay.exchanges("/mlflow-wire/genai-exchanges.jsonl")) {
            if (exchange.get("seq").asInt() <= 22) {
                mismatches.addAll(replay.replay(exchange));
                replayed++;
            }
        }
        assertThat(replayed).isEqualTo(22);
        assertThat(mismatches).isEmpty();
    }
}
