package dev.atelier.server.tracking;

import org.jdbi.v3.core.Handle;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The writes of run creation and tagging, bound with plain JDBC on the transaction's connection:
 * runs/create is the most frequent call of a training script's start, and Jdbi's per-statement
 * binding and mapping machinery cost more CPU than SQLite's work for these two small statements.
 */
final class RunWrites {
    private RunWrites() {
    }

    /**
     * Inserts the run into its experiment when the experiment exists in the workspace and is active,
     * then its tags. Empty when the experiment is missing or deleted (nothing written).
     */
    static Optional<RunInfo> create(Handle handle, String workspace, NewRun run, List<KeyValue> tags) {
        String artifactUri;
        try (PreparedStatement insert = handle.getConnection().prepareStatement("""
                INSERT INTO runs (run_uuid, workspace, experiment_id, name, user_id, status, start_time, end_time,
                                  lifecycle_stage, artifact_uri)
                SELECT ?, workspace, experiment_id, ?, ?, ?, ?, NULL, 'active', artifact_location || '/' || ? || '/artifacts'
                FROM experiments
                WHERE workspace = ? AND experiment_id = ? AND lifecycle_stage = 'active'
                RETURNING artifact_uri
                """)) {
            insert.setString(1, run.runId());
            insert.setString(2, run.runName());
            insert.setString(3, run.userId());
            insert.setString(4, run.status().name());
            insert.setLong(5, run.startTime());
            insert.setString(6, run.runId());
            insert.setString(7, workspace);
            insert.setLong(8, run.experimentId());
            try (ResultSet inserted = insert.executeQuery()) {
                if (!inserted.next()) {
                    return Optional.empty();
                }
                artifactUri = inserted.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create run " + run.runId() + ": " + e.getMessage(), e);
        }
        upsertTags(handle, run.runId(), tags);
        return Optional.of(new RunInfo(run.runId(), Long.toString(run.experimentId()), run.runName(), run.userId(),
                run.status(), run.startTime(), null, artifactUri, LifecycleStage.ACTIVE, run.runId()));
    }

    /**
     * Sets tags of a run, replacing the values of keys it already has, with one statement. Rows are written in key order
     * (the last value of a key given twice wins), so that concurrent writers lock them in one order and rarely deadlock.
     */
    static void upsertTags(Handle handle, String runId, List<KeyValue> unsorted) {
        if (unsorted.isEmpty()) {
            return;
        }
        java.util.TreeMap<String, String> tags = new java.util.TreeMap<>();
        unsorted.forEach(tag -> tags.put(tag.key(), tag.value()));
        StringBuilder sql = new StringBuilder(96 + tags.size() * 11).append("INSERT INTO tags (run_uuid, key, value) VALUES ");
        for (int i = 0; i < tags.size(); i++) {
            sql.append(i == 0 ? "(?, ?, ?)" : ", (?, ?, ?)");
        }
        sql.append(" ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value");
        try (PreparedStatement upsert = handle.getConnection().prepareStatement(sql.toString())) {
            int index = 0;
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                upsert.setString(++index, runId);
                upsert.setString(++index, tag.getKey());
                upsert.setString(++index, tag.getValue());
            }
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot tag run " + runId + ": " + e.getMessage(), e);
        }
    }
}
