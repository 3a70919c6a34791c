package dev.atelier.server.loggedmodels;

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
 * Replays golden exchanges of MLflow 3's logged-model API written from its protocol (service.proto: CreateLoggedModel,
 * FinalizeLoggedModel, GetLoggedModel, LogLoggedModelParamsRequest, SetLoggedModelTags, DeleteLoggedModelTag,
 * SearchLoggedModels, ListLoggedModelArtifacts, DeleteLoggedModel; LoggedModel = info + data), in
 * src/test/resources/mlflow-wire/logged-models-exchanges.jsonl: a model created PENDING, its MLmodel uploaded through
 * mlflow-artifacts under its artifact_uri, finalized READY, given params and tags, searched by tag, param, status
 * and name order with paging, listed and downloaded, registered as a model version from {@code models:/m-<id>},
 * named as a run's output (LogOutputs, then answered by runs/get and runs/search), deleted, and the errors. Model ids are the server's (learnt
 * from each answer); times are compared by type.
 */
class LoggedModelWireTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void everyGoldenLoggedModelExchangeGetsItsAnswer() {
        WireReplay replay = new WireReplay(server, Set.of("model_id", "run_id"), Set.of("start_time", "creation_timestamp_ms",
                "last_updated_timestamp_ms", "creation_timestamp", "last_updated_timestamp"));
        List<String> mismatches = new ArrayList<>();
        List<JsonNode> exchanges = WireReplay.exchanges("/mlflow-wire/logged-models-exchanges.jsonl");
        for (JsonNode exchange : exchanges) {
            mismatches.addAll(replay.replay(exchange));
        }
        assertThat(exchanges).hasSizeGreaterThan(20);
        assertThat(mismatches).isEmpty();
    }
}
