package dev.atelier.server.tracking;

import dev.atelier.server.testing.ServerExtension;
import dev.atelier.server.testing.WireReplay;

import java.util.Map;
import java.util.Set;

/**
 * How MLflow 2.22.1's recorded tracking and registry exchanges are compared ({@link WireReplay}): run ids are the
 * server's own, times differ by nature, the log-model history tag holds times, and get-download-uri answers a
 * location the server chooses: MLflow's server answers a version's {@code storage_location} when it has one, and
 * Atelier's versions always have one (their registry copy), where the recording's server answered the source; it is
 * checked by scheme, and the registry tests check that it serves the files.
 */
final class RecordedMlflow {
    private RecordedMlflow() {
    }

    static WireReplay replay(ServerExtension server) {
        return new WireReplay(server, Set.of("run_id", "run_uuid"), Set.of("start_time", "end_time", "timestamp", "creation_time",
                "last_update_time", "creation_timestamp", "last_updated_timestamp"), Set.of("mlflow.log-model.history"),
                Map.of("/api/2.0/mlflow/model-versions/get-download-uri",
                        answer -> answer.path("artifact_uri").asText().startsWith("mlflow-artifacts:/")));
    }
}
