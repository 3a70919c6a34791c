package dev.atelier.server.scorers;

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
 * Replays golden exchanges of MLflow 3's scorer API written from its protocol (service.proto: RegisterScorer,
 * ListScorers, ListScorerVersions, GetScorer, DeleteScorer; Scorer with experiment_id as an int32) in
 * src/test/resources/mlflow-wire/scorers-exchanges.jsonl: a scorer registered twice (two versions, one id), another
 * one, listed, read by version and latest, a version deleted, then the whole scorer, and the errors. The scorer id is
 * the server's (learnt from the first answer); creation times are compared by type.
 */
class ScorerWireTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void everyGoldenScorerExchangeGetsItsAnswer() {
        WireReplay replay = new WireReplay(server, Set.of("scorer_id"), Set.of("creation_time"));
        List<String> mismatches = new ArrayList<>();
        List<JsonNode> exchanges = WireReplay.exchanges("/mlflow-wire/scorers-exchanges.jsonl");
        for (JsonNode exchange : exchanges) {
            mismatches.addAll(replay.replay(exchange));
        }
        assertThat(exchanges).hasSizeGreaterThan(15);
        assertThat(mismatches).isEmpty();
    }
}
