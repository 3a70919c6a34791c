package dev.atelier.server.registry;

import dev.atelier.api.Workspace;
import dev.atelier.server.artifacts.ArtifactService;
import dev.atelier.server.artifacts.LocalArtifactRepository;
import dev.atelier.server.store.Database;
import dev.atelier.server.tracking.JdbcTrackingStore;
import dev.atelier.server.tracking.RunArtifacts;
import dev.atelier.server.tracking.TrackingService;
import dev.atelier.server.workspace.JdbcWorkspaceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Models above the inline limit are answered PENDING_REGISTRATION and copied in the background. */
class RegistryBackgroundCopyTest {
    @TempDir
    Path dataDir;

    @Test
    void aLargeModelIsPendingUntilItsBackgroundCopyEnds() throws Exception {
        try (Database database = Database.openSqlite(dataDir.resolve("atelier.db"))) {
            new JdbcWorkspaceStore(database).createWorkspace(new Workspace("default", "", Map.of(), 1, 1));
            ArtifactService artifacts = new ArtifactService(new LocalArtifactRepository(dataDir.resolve("artifacts")));
            TrackingService tracking = new TrackingService(new JdbcTrackingStore(database), new RunArtifacts(artifacts), Clock.systemUTC());
            try (RegistryService registry = new RegistryService(new JdbcRegistryStore(database), tracking, artifacts, Clock.systemUTC(), 0)) {
                write(artifacts, "1/run/artifacts/model/MLmodel", ModelFixture.MLMODEL);
                write(artifacts, "1/run/artifacts/model/model.pkl", "weights");
                write(artifacts, "1/run/artifacts/model/python_env.yaml", "python: 3.11\n");
                registry.createRegisteredModel("default", "large", Optional.empty(), List.of());

                ModelVersion created = registry.createModelVersion("default", new NewModelVersion("large",
                        "mlflow-artifacts:/1/run/artifacts/model", Optional.empty(), List.of(), ""));
                assertThat(created.status()).isEqualTo(ModelVersion.PENDING_REGISTRATION);
                ModelVersion ready = await(registry);
                assertThat(ready.status()).isEqualTo(ModelVersion.READY);
                ModelFiles files = registry.files("default", registry.resolve("default", "models:/large/1"));
                try (var content = artifacts.open("default", files.path() + "/model.pkl")) {
                    assertThat(new String(content.stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("weights");
                }
            }
        }
    }

    private static void write(ArtifactService artifacts, String path, String content) {
        artifacts.write("default", path, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
    }

    private static ModelVersion await(RegistryService registry) throws InterruptedException, IOException {
        for (int attempt = 0; attempt < 600; attempt++) {
            ModelVersion version = registry.getModelVersion("default", "large", "1");
            if (!version.status().equals(ModelVersion.PENDING_REGISTRATION)) {
                return version;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the copy never ended");
    }
}
