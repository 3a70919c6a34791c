package dev.atelier.server.tracking;

import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the 144 real exchanges between MLflow's Python client and MLflow's server
 * (src/test/resources/mlflow-wire/exchanges.jsonl, recorded from MLflow 2.22.1) against Atelier, in
 * order, and checks that every answer has the recorded status, error code, field names, JSON types and
 * the values the requests determine ({@link RecordedMlflow}).
 */
class MlflowWireReplayTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void everyRecordedExchangeGetsTheRecordedAnswer() {
        List<String> mismatches = new ArrayList<>();
        int replayed = RecordedMlflow.replay(server).replayAll("/mlflow-wire/exchanges.jsonl", seq -> true, mismatches);
        assertThat(replayed).isGreaterThan(60);
        assertThat(mismatches).isEmpty();
    }
}
