package dev.atelier.server.tracing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.Workspace;
import dev.atelier.server.http.Json;
import dev.atelier.server.store.Database;
import dev.atelier.server.tracking.JdbcTrackingStore;
import dev.atelier.server.workspace.JdbcWorkspaceStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The assessment store's contract (V30), run on SQLite and on PostgreSQL by the subclasses. */
abstract class AssessmentStoreContract {
    private static final String WORKSPACE = "team";
    private Database database;
    private AssessmentStore store;
    private TraceStore traces;
    private long experiment;

    protected abstract Database openDatabase();

    @BeforeEach
    void open() {
        database = openDatabase();
        store = new JdbcAssessmentStore(database);
        traces = new JdbcTraceStore(database);
        new JdbcWorkspaceStore(database).createWorkspace(new Workspace(WORKSPACE, "", Map.of(), 1, 1));
        experiment = Long.parseLong(new JdbcTrackingStore(database).createExperiment(WORKSPACE, "genai", Optional.empty(), List.of(), 1)
                .experimentId());
        for (String id : List.of("tr-1", "tr-2")) {
            traces.put(WORKSPACE, new TraceInfo(id, Long.toString(experiment), 1, 5, TraceStatus.OK, Optional.empty(), Optional.empty(),
                    Optional.empty(), Map.of(), Map.of()));
        }
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void anAssessmentIsStoredReadUpdatedAndDeleted() {
        Assessment feedback = assessment("a-1", "tr-1", Assessment.Kind.FEEDBACK, "{\"feedback\": {\"value\": 0.5}, \"rationale\": \"ok\"}",
                10, Optional.empty());
        assertThat(store.create(WORKSPACE, feedback)).isTrue();
        Assessment read = store.get(WORKSPACE, "tr-1", "a-1").orElseThrow();
        assertThat(read).isEqualTo(feedback);
        assertThat(read.body().get("feedback").get("value").doubleValue()).isEqualTo(0.5);
        assertThat(store.get(WORKSPACE, "tr-2", "a-1")).as("an assessment belongs to its trace").isEmpty();
        assertThat(store.get("elsewhere", "tr-1", "a-1")).isEmpty();

        Assessment renamed = new Assessment("a-1", "tr-1", "relevance", Assessment.Kind.FEEDBACK, json("{\"feedback\": {\"value\": 1}}"),
                10, 99, Optional.empty(), true);
        assertThat(store.update(WORKSPACE, renamed)).isTrue();
        assertThat(store.get(WORKSPACE, "tr-1", "a-1")).contains(renamed);
        assertThat(store.update(WORKSPACE, assessment("a-9", "tr-1", Assessment.Kind.FEEDBACK, "{}", 1, Optional.empty()))).isFalse();

        assertThat(store.delete(WORKSPACE, "tr-1", "a-1")).isTrue();
        assertThat(store.delete(WORKSPACE, "tr-1", "a-1")).as("deleting again changes nothing").isFalse();
        assertThat(store.get(WORKSPACE, "tr-1", "a-1")).isEmpty();
    }

    @Test
    void anOverrideInvalidatesTheOverriddenUntilItIsDeleted() {
        store.create(WORKSPACE, assessment("a-1", "tr-1", Assessment.Kind.FEEDBACK, "{\"feedback\": {\"value\": \"no\"}}", 1, Optional.empty()));
        assertThat(store.create(WORKSPACE, assessment("a-2", "tr-1", Assessment.Kind.FEEDBACK, "{\"feedback\": {\"value\": \"yes\"}}", 2,
                Optional.of("a-1")))).isTrue();
        assertThat(store.get(WORKSPACE, "tr-1", "a-1").orElseThrow().valid()).isFalse();
        assertThat(store.get(WORKSPACE, "tr-1", "a-2").orElseThrow().overrides()).contains("a-1");

        assertThat(store.create(WORKSPACE, assessment("a-3", "tr-2", Assessment.Kind.FEEDBACK, "{}", 3, Optional.of("a-1"))))
                .as("an override of another trace's assessment").isFalse();
        assertThat(store.get(WORKSPACE, "tr-2", "a-3")).as("nothing is written").isEmpty();
        assertThat(store.get(WORKSPACE, "tr-1", "a-1").orElseThrow().valid()).isFalse();

        store.delete(WORKSPACE, "tr-1", "a-2");
        assertThat(store.get(WORKSPACE, "tr-1", "a-1").orElseThrow().valid()).isTrue();
    }

    @Test
    void assessmentsAreListedPerTraceOldestFirstAndGoWithTheirTrace() {
        store.create(WORKSPACE, assessment("a-late", "tr-1", Assessment.Kind.EXPECTATION, "{\"expectation\": {\"value\": [\"x\"]}}", 20,
                Optional.empty()));
        store.create(WORKSPACE, assessment("a-early", "tr-1", Assessment.Kind.FEEDBACK, "{\"feedback\": {\"value\": true}}", 10,
                Optional.empty()));
        store.create(WORKSPACE, assessment("a-other", "tr-2", Assessment.Kind.FEEDBACK, "{\"feedback\": {\"value\": false}}", 5,
                Optional.empty()));
        Map<String, List<Assessment>> byTrace = store.forTraces(WORKSPACE, List.of("tr-1", "tr-2", "tr-none"));
        assertThat(byTrace.keySet()).containsExactlyInAnyOrder("tr-1", "tr-2");
        assertThat(byTrace.get("tr-1")).extracting(Assessment::assessmentId).containsExactly("a-early", "a-late");
        assertThat(byTrace.get("tr-1").get(1).kind()).isEqualTo(Assessment.Kind.EXPECTATION);
        assertThat(store.forTraces(WORKSPACE, List.of())).isEmpty();

        traces.put(WORKSPACE, new TraceInfo("tr-1", Long.toString(experiment), 1, 9, TraceStatus.ERROR, Optional.empty(), Optional.empty(),
                Optional.empty(), Map.of(), Map.of()));
        assertThat(store.forTraces(WORKSPACE, List.of("tr-1")).get("tr-1")).as("logging the trace again keeps them").hasSize(2);
        traces.delete(WORKSPACE, experiment, List.of("tr-1"));
        assertThat(store.forTraces(WORKSPACE, List.of("tr-1", "tr-2")).keySet()).containsExactly("tr-2");
    }

    private static Assessment assessment(String id, String traceId, Assessment.Kind kind, String body, long time, Optional<String> overrides) {
        return new Assessment(id, traceId, "correctness", kind, json(body), time, time, overrides, true);
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) Json.mapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
