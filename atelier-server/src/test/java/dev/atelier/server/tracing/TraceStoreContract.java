package dev.atelier.server.tracing;

import dev.atelier.api.AtelierException;
import dev.atelier.api.Workspace;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The trace store's contract and its search, run on SQLite and on PostgreSQL by the subclasses. */
abstract class TraceStoreContract {
    private static final String WORKSPACE = "team";
    private Database database;
    private TraceStore store;
    private long experiment;
    private long otherExperiment;

    protected abstract Database openDatabase();

    @BeforeEach
    void open() {
        database = openDatabase();
        store = new JdbcTraceStore(database);
        new JdbcWorkspaceStore(database).createWorkspace(new Workspace(WORKSPACE, "", Map.of(), 1, 1));
        JdbcTrackingStore tracking = new JdbcTrackingStore(database);
        experiment = Long.parseLong(tracking.createExperiment(WORKSPACE, "genai", Optional.empty(), List.of(), 1).experimentId());
        otherExperiment = Long.parseLong(tracking.createExperiment(WORKSPACE, "other", Optional.empty(), List.of(), 1).experimentId());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aTraceIsStoredEndedAndTagged() {
        store.put(WORKSPACE, trace("a", experiment, 1_000, TraceStatus.IN_PROGRESS, Map.of("mlflow.trace_schema.version", "2"),
                Map.of("mlflow.traceName", "answer")));
        assertThat(store.end(WORKSPACE, "a", 463, TraceStatus.OK, Map.of("mlflow.traceInputs", "{}"), Map.of("mlflow.traceName", "renamed")))
                .isTrue();
        assertThat(store.end(WORKSPACE, "missing", 1, TraceStatus.OK, Map.of(), Map.of())).isFalse();
        TraceInfo ended = store.get(WORKSPACE, "a").orElseThrow();
        assertThat(ended.executionTimeMs()).isEqualTo(463);
        assertThat(ended.status()).isEqualTo(TraceStatus.OK);
        assertThat(ended.timestampMs()).isEqualTo(1_000);
        assertThat(ended.requestMetadata()).containsOnly(Map.entry("mlflow.trace_schema.version", "2"), Map.entry("mlflow.traceInputs", "{}"));
        assertThat(ended.tags()).containsOnly(Map.entry("mlflow.traceName", "renamed"));

        assertThat(store.setTag(WORKSPACE, "a", "reviewed", "yes")).isTrue();
        assertThat(store.setTag(WORKSPACE, "missing", "reviewed", "yes")).isFalse();
        assertThat(store.get(WORKSPACE, "a").orElseThrow().tags()).containsEntry("reviewed", "yes");
        assertThat(store.deleteTag(WORKSPACE, "a", "reviewed")).isTrue();
        assertThat(store.deleteTag(WORKSPACE, "a", "reviewed")).isFalse();
        assertThat(store.get(WORKSPACE, "a").orElseThrow().tags()).doesNotContainKey("reviewed");
        assertThat(store.get("other-workspace", "a")).isEmpty();
    }

    @Test
    void putReplacesATraceWithItsTagsAndMetadata() {
        store.put(WORKSPACE, trace("tr-1", experiment, 5, TraceStatus.IN_PROGRESS, Map.of("old", "1"), Map.of("old", "1")));
        store.put(WORKSPACE, new TraceInfo("tr-1", Long.toString(experiment), 5, 20, TraceStatus.ERROR, Optional.of("client-7"),
                Optional.of("{\"q\": 1}"), Optional.of("\"a\""), Map.of("new", "2"), Map.of("new", "2")));
        TraceInfo replaced = store.get(WORKSPACE, "tr-1").orElseThrow();
        assertThat(replaced.requestMetadata()).containsOnly(Map.entry("new", "2"));
        assertThat(replaced.tags()).containsOnly(Map.entry("new", "2"));
        assertThat(replaced.clientRequestId()).contains("client-7");
        assertThat(replaced.requestPreview()).contains("{\"q\": 1}");
        assertThat(replaced.responsePreview()).contains("\"a\"");
        assertThat(replaced.status()).isEqualTo(TraceStatus.ERROR);
    }

    @Test
    void searchFiltersByAttributesTagsAndMetadataAndOrders() {
        store.put(WORKSPACE, trace("t1", experiment, 100, TraceStatus.OK, Map.of("user", "ann"), Map.of("mlflow.traceName", "chat", "env", "prod")));
        store.put(WORKSPACE, trace("t2", experiment, 200, TraceStatus.ERROR, Map.of("user", "bob"), Map.of("mlflow.traceName", "tool")));
        store.put(WORKSPACE, trace("t3", experiment, 300, TraceStatus.OK, Map.of(), Map.of("env", "dev")));
        store.put(WORKSPACE, trace("t4", otherExperiment, 400, TraceStatus.OK, Map.of(), Map.of()));
        store.end(WORKSPACE, "t1", 50, TraceStatus.OK, Map.of(), Map.of());
        store.end(WORKSPACE, "t3", 10, TraceStatus.OK, Map.of(), Map.of());

        assertThat(search("", List.of())).as("newest first by default").containsExactly("t3", "t2", "t1");
        assertThat(search("attributes.status = 'OK'", List.of())).containsExactly("t3", "t1");
        assertThat(search("status != 'OK'", List.of())).containsExactly("t2");
        assertThat(search("trace.state IN ('ERROR', 'IN_PROGRESS')", List.of())).containsExactly("t2");
        assertThat(search("attributes.timestamp_ms > 100 AND attributes.timestamp_ms <= 300", List.of())).containsExactly("t3", "t2");
        assertThat(search("attributes.execution_time_ms >= 10", List.of())).containsExactly("t3", "t1");
        assertThat(search("tags.env = 'prod'", List.of())).containsExactly("t1");
        assertThat(search("tags.env != 'prod'", List.of())).as("a trace without the tag never matches").containsExactly("t3");
        assertThat(search("tags.`mlflow.traceName` LIKE 't%'", List.of())).containsExactly("t2");
        assertThat(search("name = 'chat'", List.of())).containsExactly("t1");
        assertThat(search("request_metadata.user = 'bob'", List.of())).containsExactly("t2");
        assertThat(search("metadata.user ILIKE 'AN%'", List.of())).containsExactly("t1");
        assertThat(search("request_id = 't2'", List.of())).containsExactly("t2");
        assertThat(search("", List.of("timestamp_ms ASC"))).containsExactly("t1", "t2", "t3");
        assertThat(search("", List.of("execution_time_ms DESC"))).containsExactly("t1", "t3", "t2");
        assertThat(search("", List.of("attributes.status ASC", "timestamp_ms DESC"))).containsExactly("t2", "t3", "t1");
        assertThat(store.search(WORKSPACE, List.of(experiment, otherExperiment), "", List.of(), 2, 1)).as("a page")
                .containsExactly("t3", "t2");

        assertThatThrownBy(() -> search("attributes.size > 1", List.of())).isInstanceOf(AtelierException.class).hasMessageContaining("size");
        assertThatThrownBy(() -> search("params.x = '1'", List.of())).isInstanceOf(AtelierException.class).hasMessageContaining("params");
        assertThatThrownBy(() -> search("status = 'DONE'", List.of())).isInstanceOf(AtelierException.class).hasMessageContaining("DONE");
        assertThatThrownBy(() -> search("timestamp_ms > 'x'", List.of())).isInstanceOf(AtelierException.class);
        assertThatThrownBy(() -> search("tags.env = ('prod', 'dev')", List.of())).as("a list needs IN").isInstanceOf(AtelierException.class);
        assertThatThrownBy(() -> search("tags.env IN 'prod'", List.of())).as("IN needs a list").isInstanceOf(AtelierException.class);
        assertThatThrownBy(() -> search("", List.of("tags.env"))).isInstanceOf(AtelierException.class);
    }

    @Test
    void deletesByIdsOrOldestFirstWithinOneExperiment() {
        for (int i = 1; i <= 4; i++) {
            store.put(WORKSPACE, trace("d" + i, experiment, i * 10, TraceStatus.OK, Map.of("k", "v"), Map.of("k", "v")));
        }
        store.put(WORKSPACE, trace("o1", otherExperiment, 5, TraceStatus.OK, Map.of(), Map.of()));
        assertThat(store.delete(WORKSPACE, experiment, List.of("d1", "o1", "missing"))).extracting(TraceInfo::requestId)
                .as("only the experiment's own").containsExactly("d1");
        assertThat(store.deleteOlderThan(WORKSPACE, experiment, 40, 2)).extracting(TraceInfo::requestId).containsExactly("d2", "d3");
        assertThat(store.get(WORKSPACE, "d2")).isEmpty();
        assertThat(store.get(WORKSPACE, "d4")).isPresent();
        assertThat(store.get(WORKSPACE, "o1")).isPresent();
        store.put(WORKSPACE, trace("d2", experiment, 20, TraceStatus.OK, Map.of(), Map.of()));
        assertThat(store.get(WORKSPACE, "d2").orElseThrow().tags()).as("the deleted trace's tags went with it").isEmpty();
    }

    @Test
    void aTraceGoesWithItsExperiment() {
        store.put(WORKSPACE, trace("e1", otherExperiment, 1, TraceStatus.OK, Map.of("k", "v"), Map.of("k", "v")));
        database.writeVoid(handle -> handle.createUpdate("DELETE FROM experiments WHERE workspace = ? AND experiment_id = ?")
                .bind(0, WORKSPACE).bind(1, otherExperiment).execute());
        assertThat(store.get(WORKSPACE, "e1")).isEmpty();
    }

    @Test
    void linkedTracesAreFoundByTheirRunAndKeepTheLinkWhenRelogged() {
        String run = new JdbcTrackingStore(database).createRun(WORKSPACE, new dev.atelier.server.tracking.NewRun(
                "0123456789abcdef0123456789abcdef", experiment, "eval", "ann", dev.atelier.server.tracking.RunStatus.RUNNING, 1),
                List.of()).orElseThrow().runUuid();
        store.put(WORKSPACE, trace("logged", experiment, 1, TraceStatus.OK, Map.of("mlflow.sourceRun", run), Map.of()));
        store.put(WORKSPACE, trace("linked", experiment, 2, TraceStatus.OK, Map.of(), Map.of()));
        store.put(WORKSPACE, trace("alone", experiment, 3, TraceStatus.OK, Map.of("mlflow.sourceRun", "another"), Map.of()));
        store.linkToRun(WORKSPACE, run, List.of("linked"));
        store.linkToRun(WORKSPACE, run, List.of("linked"));

        assertThat(search("metadata.mlflow.sourceRun = '" + run + "'", List.of())).containsExactly("linked", "logged");
        assertThat(search("metadata.`mlflow.sourceRun` IN ('" + run + "', 'x')", List.of())).containsExactly("linked", "logged");
        assertThat(search("metadata.mlflow.sourceRun != '" + run + "'", List.of())).as("only the metadata is compared")
                .containsExactly("alone");
        assertThat(search("attributes.run_id = '" + run + "'", List.of())).containsExactly("linked", "logged");
        assertThat(search("trace.run_id IN ('another')", List.of())).containsExactly("alone");
        assertThatThrownBy(() -> search("run_id != 'x'", List.of())).isInstanceOf(AtelierException.class);
        store.put(WORKSPACE, trace("linked", experiment, 2, TraceStatus.ERROR, Map.of(), Map.of()));
        assertThat(search("metadata.mlflow.sourceRun = '" + run + "'", List.of())).as("logging a trace again keeps its link")
                .containsExactly("linked", "logged");
        database.writeVoid(handle -> handle.createUpdate("DELETE FROM runs WHERE run_uuid = ?").bind(0, run).execute());
        assertThat(search("metadata.mlflow.sourceRun = '" + run + "'", List.of())).as("the link goes with its run")
                .containsExactly("logged");
    }

    @Test
    void spansAreKeptWithTheirTraceReplacedByIdAndGoWithIt() {
        TraceSpanStore spans = new JdbcTraceSpanStore(database);
        store.put(WORKSPACE, trace("tr-s", experiment, 1, TraceStatus.IN_PROGRESS, Map.of(), Map.of()));
        store.put(WORKSPACE, trace("tr-empty", experiment, 2, TraceStatus.OK, Map.of(), Map.of()));
        spans.put(WORKSPACE, "tr-s", List.of(span("tr-s", "0000000000000002", Optional.of("0000000000000001"), "child", 20, "UNSET"),
                span("tr-s", "0000000000000001", Optional.empty(), "root", 10, "OK")));
        spans.put(WORKSPACE, "tr-s", List.of(span("tr-s", "0000000000000002", Optional.of("0000000000000001"), "child again", 15, "ERROR")));

        Map<String, List<OtlpSpan>> found = spans.spans(WORKSPACE, List.of("tr-empty", "tr-s", "tr-missing"));
        assertThat(found).containsOnlyKeys("tr-s");
        assertThat(found.get("tr-s")).as("by start time; a span logged again replaced")
                .extracting(OtlpSpan::name, OtlpSpan::status, OtlpSpan::startNanos, OtlpSpan::parentSpanId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("root", "OK", 10L, Optional.empty()),
                        org.assertj.core.groups.Tuple.tuple("child again", "ERROR", 15L, Optional.of("0000000000000001")));
        assertThat(found.get("tr-s").getFirst().content().path("name").asText()).isEqualTo("root");
        assertThat(spans.spans("other-workspace", List.of("tr-s"))).isEmpty();
        store.put(WORKSPACE, trace("tr-s", experiment, 1, TraceStatus.OK, Map.of(), Map.of()));
        assertThat(spans.spans(WORKSPACE, List.of("tr-s")).get("tr-s")).as("logging the trace again keeps its spans").hasSize(2);
        store.delete(WORKSPACE, experiment, List.of("tr-s"));
        assertThat(spans.spans(WORKSPACE, List.of("tr-s"))).as("the spans went with their trace").isEmpty();
    }

    private static OtlpSpan span(String traceId, String spanId, Optional<String> parent, String name, long start, String status) {
        com.fasterxml.jackson.databind.node.ObjectNode content = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        content.put("name", name);
        return new OtlpSpan(traceId, spanId, parent, name, start, start + 5, status, content);
    }

    private List<String> search(String filter, List<String> orderBy) {
        return store.search(WORKSPACE, List.of(experiment), filter, orderBy, 100, 0);
    }

    private static TraceInfo trace(String id, long experimentId, long timestamp, TraceStatus status, Map<String, String> metadata,
                                   Map<String, String> tags) {
        return new TraceInfo(id, Long.toString(experimentId), timestamp, 0, status, Optional.empty(), Optional.empty(),
                Optional.empty(), metadata, tags);
    }
}
