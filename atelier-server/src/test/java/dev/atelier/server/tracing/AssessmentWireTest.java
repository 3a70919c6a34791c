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
 * Replays golden exchanges of MLflow 3's assessment and trace-linking calls written from its protocol (service.proto:
 * CreateAssessment, GetAssessmentRequest, UpdateAssessment with a FieldMask in protobuf's JSON form, DeleteAssessment,
 * LinkTracesToRun; assessments.proto's Assessment in protobuf's JSON mapping), in
 * src/test/resources/mlflow-wire/assessments-exchanges.jsonl: what {@code mlflow.log_feedback},
 * {@code log_expectation}, {@code update_assessment}, {@code override_feedback}, {@code delete_assessment} and
 * {@code mlflow.genai.evaluate} send. The server chooses assessment and run ids (learnt from each answer) and the
 * time of an update; every other value is exact.
 */
class AssessmentWireTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void everyGoldenAssessmentExchangeGetsItsAnswer() {
        WireReplay replay = new WireReplay(server, Set.of("assessment_id", "run_id"), Set.of("last_update_time"));
        List<String> mismatches = new ArrayList<>();
        List<JsonNode> exchanges = WireReplay.exchanges("/mlflow-wire/assessments-exchanges.jsonl");
        for (JsonNode exchange : exchanges) {
            mismatches.addAll(replay.replay(exchange));
        }
        assertThat(exchanges).hasSizeGreaterThan(25);
        assertThat(mismatches).isEmpty();
    }
}
