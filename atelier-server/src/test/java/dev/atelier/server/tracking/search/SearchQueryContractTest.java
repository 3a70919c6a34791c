package dev.atelier.server.tracking.search;

import dev.atelier.server.store.Database;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the built queries against a real database, once per dialect. The runs of experiment 1 of
 * workspace w1, in the default order (start_time DESC): r4 (deleted), r2, r3, r1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SearchQueryContractTest {
    private Database database;

    /** Opens an empty, migrated database. */
    abstract Database openDatabase() throws Exception;

    /** Frees what {@link #openDatabase()} took, after the database is closed. */
    void release() throws Exception {
    }

    @BeforeAll
    void createData() throws Exception {
        database = openDatabase();
        database.writeVoid(SearchQueryContractTest::insertData);
    }

    @AfterAll
    void closeDatabase() throws Exception {
        database.close();
        release();
    }

    @Test
    void defaultOrderIsStartTimeDescendingAndViewTypeSelectsLifecycle() {
        assertThat(runs(ViewType.ACTIVE_ONLY, null, List.of())).containsExactly("r2", "r3", "r1");
        assertThat(runs(ViewType.ALL, null, List.of())).containsExactly("r4", "r2", "r3", "r1");
        assertThat(runs(ViewType.DELETED_ONLY, null, List.of())).containsExactly("r4");
    }

    @Test
    void searchCoversTheGivenExperimentsOfOneWorkspaceOnly() {
        assertThat(search("w1", List.of(1L, 2L), ViewType.ACTIVE_ONLY, null, List.of(), 10, 0)).containsExactly("r2", "r3", "r1", "r5");
        assertThat(search("w2", List.of(1L), ViewType.ALL, null, List.of(), 10, 0)).containsExactly("r6");
        assertThat(search("w1", List.of(), ViewType.ALL, null, List.of(), 10, 0)).isEmpty();
    }

    @Test
    void limitAndOffsetSelectOnePage() {
        assertThat(search("w1", List.of(1L), ViewType.ALL, null, List.of(), 2, 1)).containsExactly("r2", "r3");
    }

    @Test
    void metricFiltersCompareLatestValuesAndNanMatchesOnlyNotEqual() {
        assertThat(runs("metrics.acc > 0.6")).containsExactly("r1");
        assertThat(runs("metrics.acc < 0.6")).containsExactly("r3");
        assertThat(runs("metrics.acc >= 0")).containsExactly("r3", "r1");
        assertThat(runs("metrics.acc = 0")).isEmpty();
        assertThat(runs("metrics.acc != 0.5")).containsExactly("r2", "r1");
        assertThat(runs("metrics.acc > 0.4 and metrics.loss <= 3")).containsExactly("r3");
    }

    @Test
    void paramFiltersCompareExactlyAndLikeIsCaseSensitive() {
        assertThat(runs("params.lr = '0.1'")).containsExactly("r2");
        assertThat(runs("params.opt != 'adam'")).containsExactly("r3");
        assertThat(runs("params.opt LIKE 'a%'")).containsExactly("r1");
        assertThat(runs("params.opt ILIKE 'A%'")).containsExactly("r3", "r1");
    }

    @Test
    void likeWildcardsEscapesAndGlobCharacters() {
        assertThat(runs("params.path LIKE 'a_b'")).containsExactly("r2", "r1");
        assertThat(runs("params.path LIKE 'a\\_b'")).containsExactly("r1");
        assertThat(runs("params.path LIKE 'x*%'")).containsExactly("r3");
        assertThat(runs("params.path ILIKE 'X*Y'")).containsExactly("r3");
        assertThat(runs("params.dir LIKE 'c:\\\\%'")).containsExactly("r2");
        assertThat(runs("params.dir = 'c:\\tmp'")).containsExactly("r2");
    }

    @Test
    void tagFilters() {
        assertThat(runs("tags.team = 'vision'")).containsExactly("r2");
        assertThat(runs("tags.team LIKE 'V%'")).containsExactly("r1");
        assertThat(runs("tags.team ILIKE 'VISION'")).containsExactly("r2", "r1");
        assertThat(runs("tags.`mlflow.note` = 'x y'")).containsExactly("r3");
    }

    @Test
    void attributeFilters() {
        assertThat(runs("status = 'FINISHED'")).containsExactly("r1");
        assertThat(runs("attributes.user_id = 'ann'")).containsExactly("r3", "r1");
        assertThat(runs("run_name LIKE 'b%'")).isEmpty();
        assertThat(runs("attributes.run_name ILIKE 'b%'")).containsExactly("r2");
        assertThat(runs("\"run name\" = 'alpha'")).containsExactly("r1");
        assertThat(runs("attributes.run_id IN ('r1', 'r3', 'r4')")).containsExactly("r3", "r1");
        assertThat(runs("run_id NOT IN ('r1')")).containsExactly("r2", "r3");
        assertThat(runs("attributes.start_time > 150")).containsExactly("r2", "r3");
        assertThat(runs("created <= 100")).containsExactly("r1");
        assertThat(runs("end_time < 300")).containsExactly("r3", "r1");
        assertThat(runs("artifact_uri LIKE '%/r2/%'")).containsExactly("r2");
    }

    @Test
    void datasetFiltersMatchAnyInputOfTheRun() {
        assertThat(runs("datasets.name = 'train'")).containsExactly("r1");
        assertThat(runs("datasets.name IN ('eval', 'none')")).containsExactly("r3", "r1");
        assertThat(runs("dataset.digest = 'def'")).containsExactly("r3", "r1");
        assertThat(runs("datasets.context = 'training'")).containsExactly("r1");
        assertThat(runs("datasets.context != 'training'")).containsExactly("r3", "r1");
        assertThat(runs("datasets.name NOT IN ('train')")).containsExactly("r3", "r1");
    }

    @Test
    void metricOrderPutsNanAndThenMissingLastInBothDirections() {
        assertThat(runs(null, "metrics.acc DESC")).containsExactly("r1", "r3", "r2");
        assertThat(runs(null, "metrics.acc")).containsExactly("r3", "r1", "r2");
        assertThat(runs(null, "metrics.loss DESC")).containsExactly("r3", "r2", "r1");
        assertThat(search("w1", List.of(1L, 2L), ViewType.ALL, null, List.of("metrics.acc DESC"), 10, 0))
                .containsExactly("r1", "r5", "r3", "r4", "r2");
    }

    @Test
    void filterAndOrderOnTheSameMetric() {
        assertThat(runs("metrics.acc > 0.1", "metrics.acc ASC")).containsExactly("r3", "r1");
        assertThat(runs("metrics.acc != 0.9", "metrics.acc DESC")).containsExactly("r3", "r2");
    }

    @Test
    void paramAndTagOrdersPutMissingValuesLast() {
        assertThat(runs(null, "params.lr ASC")).containsExactly("r1", "r2", "r3");
        assertThat(runs(null, "params.lr DESC")).containsExactly("r2", "r1", "r3");
        assertThat(runs(null, "tags.prio DESC")).containsExactly("r3", "r1", "r2");
    }

    @Test
    void attributeOrdersWithNullsLastAndTieBreakers() {
        assertThat(runs(null, "attributes.end_time ASC")).containsExactly("r1", "r3", "r2");
        assertThat(runs(null, "end_time DESC")).containsExactly("r3", "r1", "r2");
        assertThat(runs(null, "start_time ASC")).containsExactly("r1", "r3", "r2");
        assertThat(runs(null, "user_id")).containsExactly("r3", "r1", "r2");
        assertThat(search("w1", List.of(1L), ViewType.ACTIVE_ONLY, null, List.of("user_id DESC", "start_time"), 10, 0))
                .containsExactly("r2", "r1", "r3");
        assertThat(runs(null, "run_id DESC")).containsExactly("r3", "r2", "r1");
    }

    @Test
    void experimentsFilterOrderAndViewType() {
        assertThat(experiments(ViewType.ACTIVE_ONLY, null, List.of())).containsExactly(2L, 1L);
        assertThat(experiments(ViewType.ALL, null, List.of())).containsExactly(2L, 1L, 3L);
        assertThat(experiments(ViewType.DELETED_ONLY, null, List.of())).containsExactly(3L);
        assertThat(experiments(ViewType.ACTIVE_ONLY, "name LIKE 'exp%'", List.of())).containsExactly(1L);
        assertThat(experiments(ViewType.ACTIVE_ONLY, "attributes.name ILIKE 'exp%'", List.of())).containsExactly(2L, 1L);
        assertThat(experiments(ViewType.ALL, "creation_time > 7 and last_update_time < 30", List.of())).containsExactly(1L);
        assertThat(experiments(ViewType.ALL, "tags.team = 'a'", List.of())).containsExactly(1L);
        assertThat(experiments(ViewType.ALL, "tags.team != 'a'", List.of())).containsExactly(2L);
        assertThat(experiments(ViewType.ALL, null, List.of("last_update_time ASC"))).containsExactly(3L, 1L, 2L);
        assertThat(experiments(ViewType.ALL, null, List.of("experiment_id DESC"))).containsExactly(3L, 2L, 1L);
    }

    @Test
    void experimentsAreLimitedToTheirWorkspaceAndPaged() {
        assertThat(experiments("w2", 10, 0)).containsExactly(1L);
        assertThat(experiments("w1", 1, 1)).containsExactly(1L);
    }

    private List<String> runs(String filter) {
        return runs(ViewType.ACTIVE_ONLY, filter, List.of());
    }

    private List<String> runs(String filter, String orderBy) {
        return runs(ViewType.ACTIVE_ONLY, filter, List.of(orderBy));
    }

    private List<String> runs(ViewType viewType, String filter, List<String> orderBy) {
        return search("w1", List.of(1L), viewType, filter, orderBy, 100, 0);
    }

    private List<String> search(String workspace, List<Long> experimentIds, ViewType viewType, String filter,
                                List<String> orderBy, int limit, int offset) {
        SqlQuery query = RunSearchQueryBuilder.build(database.dialect(), workspace, experimentIds, viewType, filter, orderBy, limit, offset);
        return database.read(handle -> handle.select(query.sql(), query.parameterArray()).mapTo(String.class).list());
    }

    private List<Long> experiments(ViewType viewType, String filter, List<String> orderBy) {
        SqlQuery query = ExperimentSearchQueryBuilder.build(database.dialect(), "w1", viewType, filter, orderBy, 100, 0);
        return selectIds(query);
    }

    private List<Long> experiments(String workspace, int limit, int offset) {
        return selectIds(ExperimentSearchQueryBuilder.build(database.dialect(), workspace, ViewType.ALL, null, List.of(), limit, offset));
    }

    private List<Long> selectIds(SqlQuery query) {
        return database.read(handle -> handle.select(query.sql(), query.parameterArray()).mapTo(Long.class).list());
    }

    private static void insertData(Handle handle) {
        handle.execute("INSERT INTO workspaces VALUES ('w1', '', 0, 0, 4), ('w2', '', 0, 0, 2)");
        handle.execute("""
                INSERT INTO experiments (workspace, experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
                VALUES ('w1', 1, 'exp-one', 'a', 'active', 10, 15), ('w1', 2, 'Exp-Two', 'a', 'active', 20, 30),
                       ('w1', 3, 'old', 'a', 'deleted', 5, 5), ('w2', 1, 'exp-one', 'a', 'active', 10, 10)""");
        handle.execute("INSERT INTO experiment_tags VALUES ('w1', 1, 'team', 'a'), ('w1', 2, 'team', 'b')");
        insertRun(handle, "r1", "w1", 1, "alpha", "ann", "FINISHED", 100L, 200L, "active");
        insertRun(handle, "r2", "w1", 1, "Beta", "bob", "RUNNING", 300L, null, "active");
        insertRun(handle, "r3", "w1", 1, "gamma", "ann", "FAILED", 200L, 250L, "active");
        insertRun(handle, "r4", "w1", 1, "delta", "ann", "FINISHED", 400L, 450L, "deleted");
        insertRun(handle, "r5", "w1", 2, "eps", "ann", "FINISHED", 50L, 60L, "active");
        insertRun(handle, "r6", "w2", 1, "other", "ann", "FINISHED", 500L, 600L, "active");
        insertMetric(handle, "r1", "acc", 0.9, 0);
        insertMetric(handle, "r2", "acc", 0, 1);
        insertMetric(handle, "r3", "acc", 0.5, 0);
        insertMetric(handle, "r4", "acc", 0.1, 0);
        insertMetric(handle, "r5", "acc", 0.7, 0);
        insertMetric(handle, "r3", "loss", 2.5, 0);
        insertMetric(handle, "r2", "loss", 0, 1);
        insertMetric(handle, "r6", "acc", 0.99, 0);
        handle.execute("""
                INSERT INTO params (run_uuid, key, value) VALUES ('r1', 'lr', '0.01'), ('r2', 'lr', '0.1'),
                    ('r1', 'opt', 'adam'), ('r3', 'opt', 'Adam'),
                    ('r1', 'path', 'a_b'), ('r2', 'path', 'axb'), ('r3', 'path', 'x*y'), ('r2', 'dir', 'c:\\tmp')""");
        handle.execute("""
                INSERT INTO tags (run_uuid, key, value) VALUES ('r1', 'team', 'Vision'), ('r2', 'team', 'vision'),
                    ('r3', 'mlflow.note', 'x y'), ('r1', 'prio', '1'), ('r3', 'prio', '2')""");
        handle.execute("""
                INSERT INTO datasets (dataset_uuid, workspace, experiment_id, name, digest, source_type, source)
                VALUES ('d1', 'w1', 1, 'train', 'abc', 'local', 's'), ('d2', 'w1', 1, 'eval', 'def', 'local', 's')""");
        handle.execute("INSERT INTO run_inputs VALUES ('r1', 'd1'), ('r1', 'd2'), ('r3', 'd2')");
        handle.execute("""
                INSERT INTO run_input_tags VALUES ('r1', 'd1', 'mlflow.data.context', 'training'),
                    ('r1', 'd2', 'mlflow.data.context', 'evaluation'), ('r3', 'd2', 'mlflow.data.context', 'evaluation')""");
    }

    private static void insertRun(Handle handle, String runId, String workspace, long experimentId, String name, String user,
                                  String status, Long startTime, Long endTime, String stage) {
        handle.execute("""
                INSERT INTO runs (run_uuid, workspace, experiment_id, name, user_id, status, start_time, end_time,
                                  lifecycle_stage, artifact_uri)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                runId, workspace, experimentId, name, user, status, startTime, endTime, stage, "s3://bucket/" + runId + "/artifacts");
    }

    private static void insertMetric(Handle handle, String runId, String key, double value, int isNan) {
        handle.execute("INSERT INTO latest_metrics VALUES (?, ?, 0, 0, ?, ?)", runId, key, value, isNan);
    }
}
