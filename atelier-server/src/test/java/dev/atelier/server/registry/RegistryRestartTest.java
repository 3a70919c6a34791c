package dev.atelier.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.store.Database;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static dev.atelier.server.registry.ModelFixture.API;
import static org.assertj.core.api.Assertions.assertThat;

/** A copy left pending by a server that stopped is finished, or failed with a message, by the next server to start. */
class RegistryRestartTest {
    @TempDir
    Path dataDir;

    @Test
    void pendingCopiesAreFinishedOrFailedAfterARestart() throws InterruptedException {
        String copySource;
        try (TestServer first = TestServer.start(dataDir)) {
            ModelFixture models = new ModelFixture(first.http());
            String source = models.createVersion("resumed");
            String runId = source.substring("runs:/".length(), source.lastIndexOf('/'));
            copySource = models.artifactRoot(runId) + "/model";
        }
        try (Database database = Database.openSqlite(dataDir.resolve("atelier.db"))) {
            insertPending(database, 2, copySource, "registry/resumed2");
            insertPending(database, 3, "1/gone/artifacts/model", "registry/resumed3");
        }
        try (TestServer second = TestServer.start(dataDir)) {
            HttpJson http = second.http();
            JsonNode finished = awaitRegistration(http, "2");
            assertThat(finished.get("status").asText()).isEqualTo("READY");
            // The copy taken over continues in a folder of its own (the stopped server's may still be written to).
            String uri = http.get(API + "model-versions/get-download-uri?name=resumed&version=2").json().get("artifact_uri").asText();
            assertThat(uri).startsWith("mlflow-artifacts:/registry/");
            assertThat(http.get("/api/2.0/mlflow-artifacts/artifacts/" + uri.substring("mlflow-artifacts:/".length()) + "/model.pkl").text())
                    .startsWith("weights of ");
            JsonNode failed = awaitRegistration(http, "3");
            assertThat(failed.get("status").asText()).isEqualTo("FAILED_REGISTRATION");
            assertThat(failed.get("status_message").asText()).contains("1/gone/artifacts/model");
            assertThat(http.get(API + "model-versions/get-download-uri?name=resumed&version=3").errorCode()).isEqualTo("INVALID_STATE");
        }
    }

    private static void insertPending(Database database, long version, String copySource, String storage) {
        database.writeVoid(handle -> {
            handle.createUpdate("""
                            INSERT INTO model_versions (workspace, name, version, creation_time, last_update_time, description, current_stage,
                                                        source, status, run_link, storage_location, copy_source)
                            VALUES ('default', 'resumed', :version, 1, 1, '', 'None', 'runs:/x/model', 'PENDING_REGISTRATION', '', :storage, :copySource)
                            """)
                    .bind("version", version).bind("storage", storage).bind("copySource", copySource).execute();
            handle.createUpdate("UPDATE registered_models SET next_version = :next WHERE name = 'resumed'").bind("next", version + 1).execute();
        });
    }

    /** Polls, as MLflow's client does, until the version is no longer pending. */
    private static JsonNode awaitRegistration(HttpJson http, String version) throws InterruptedException {
        for (int attempt = 0; attempt < 600; attempt++) {
            JsonNode found = http.get(API + "model-versions/get?name=resumed&version=" + version).json().get("model_version");
            if (!found.get("status").asText().equals("PENDING_REGISTRATION")) {
                return found;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("version " + version + " stayed PENDING_REGISTRATION");
    }
}
