package dev.atelier.server.registry;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.api.Workspace;
import dev.atelier.server.store.Database;
import dev.atelier.server.tracking.KeyValue;
import dev.atelier.server.workspace.JdbcWorkspaceStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link RegistryStore} must do, run against SQLite and PostgreSQL by the subclasses:
 * one database per class, a fresh workspace per test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RegistryStoreContract {
    private Database database;
    /** The claim token of the copies these tests create. */
    private static final String OWNER = "claim-1";
    private JdbcRegistryStore store;
    private String workspace;
    private long clock = 1_700_000_000_000L;

    protected abstract Database openDatabase();

    @BeforeAll
    final void open() {
        database = openDatabase();
        store = new JdbcRegistryStore(database);
    }

    @AfterAll
    final void close() {
        database.close();
    }

    @BeforeEach
    final void freshWorkspace() {
        workspace = "ws-" + UUID.randomUUID().toString().substring(0, 12);
        new JdbcWorkspaceStore(database).createWorkspace(new Workspace(workspace, "", Map.of(), 1, 1));
    }

    @Test
    void modelsAreCreatedOnceAndRenamedWithTheirVersions() {
        store.createRegisteredModel(workspace, "m", Optional.of("d"), List.of(new KeyValue("team", "a")), now());
        assertThatThrownBy(() -> store.createRegisteredModel(workspace, "m", Optional.empty(), List.of(), now()))
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_ALREADY_EXISTS));
        version("m", "runs:/r1/model");
        assertThat(store.renameRegisteredModel(workspace, "m", "n", now())).isTrue();
        assertThat(store.getRegisteredModel(workspace, "m")).isEmpty();
        assertThat(store.getModelVersion(workspace, "n", 1)).map(ModelVersion::source).contains("runs:/r1/model");
        assertThat(store.getRegisteredModel(workspace, "n").orElseThrow().tags()).containsExactly(new KeyValue("team", "a"));
    }

    @Test
    void versionsArePendingUntilTheirRegistrationEnds() {
        store.createRegisteredModel(workspace, "p", Optional.empty(), List.of(), now());
        ModelVersion created = version("p", "runs:/r/model");
        assertThat(created.status()).isEqualTo(ModelVersion.PENDING_REGISTRATION);
        assertThat(created.storageLocation()).isEqualTo("registry/p1");
        assertThat(store.finishRegistration(workspace, "p", 1, OWNER, ModelVersion.FAILED_REGISTRATION, "gone", now())).isTrue();
        ModelVersion failed = store.getModelVersion(workspace, "p", 1).orElseThrow();
        assertThat(failed.status()).isEqualTo(ModelVersion.FAILED_REGISTRATION);
        assertThat(failed.statusMessage()).isEqualTo("gone");
        assertThat(store.finishRegistration(workspace, "p", 1, OWNER, ModelVersion.READY, null, now())).isFalse();
    }

    @Test
    void expiredLeasesAreClaimedOnceAndLiveOnesNot() {
        store.createRegisteredModel(workspace, "lease", Optional.empty(), List.of(), now());
        store.createModelVersion(workspace, new NewModelVersion("lease", "s", Optional.empty(), List.of(), ""), "src", "registry/a", OWNER,
                100, now());
        store.createModelVersion(workspace, new NewModelVersion("lease", "s", Optional.empty(), List.of(), ""), "src", "registry/b", OWNER,
                Long.MAX_VALUE, now());
        List<PendingCopy> claimed = store.claimExpiredCopies(1_000, 5_000, 100).stream()
                .filter(copy -> copy.workspace().equals(workspace)).toList();
        // V28: a claim taken over copies into a folder of its own, under a token of its own; the old folder is named to delete.
        assertThat(claimed).extracting(PendingCopy::abandonedLocation).containsExactly("registry/a");
        assertThat(claimed.getFirst().storageLocation()).startsWith("registry/").isNotEqualTo("registry/a");
        assertThat(claimed.getFirst().claimOwner()).isNotEqualTo(OWNER);
        assertThat(store.getModelVersion(workspace, "lease", 1).orElseThrow().storageLocation()).isEqualTo(claimed.getFirst().storageLocation());
        assertThat(store.claimExpiredCopies(1_000, 5_000, 100)).noneMatch(copy -> copy.workspace().equals(workspace));
        assertThat(store.renewClaim(workspace, "lease", 1, claimed.getFirst().claimOwner(), 0)).isTrue();
        assertThat(store.claimExpiredCopies(1_000, 5_000, 100)).anyMatch(copy -> copy.workspace().equals(workspace));
    }

    @Test
    void aCopyWhoseClaimWasTakenOverCanNeitherRenewNorEndTheVersion() {
        store.createRegisteredModel(workspace, "fenced", Optional.empty(), List.of(), now());
        store.createModelVersion(workspace, new NewModelVersion("fenced", "s", Optional.empty(), List.of(), ""), "src", "registry/old",
                OWNER, 100, now());
        PendingCopy takenOver = store.claimExpiredCopies(1_000, 5_000, 100).stream()
                .filter(copy -> copy.workspace().equals(workspace)).findFirst().orElseThrow();

        assertThat(store.renewClaim(workspace, "fenced", 1, OWNER, 9_000)).as("the old holder's renewal").isFalse();
        assertThat(store.finishRegistration(workspace, "fenced", 1, OWNER, ModelVersion.READY, null, now()))
                .as("the old holder's end").isFalse();
        assertThat(store.getModelVersion(workspace, "fenced", 1).orElseThrow().status()).isEqualTo(ModelVersion.PENDING_REGISTRATION);

        assertThat(store.renewClaim(workspace, "fenced", 1, takenOver.claimOwner(), 9_000)).isTrue();
        assertThat(store.finishRegistration(workspace, "fenced", 1, takenOver.claimOwner(), ModelVersion.READY, null, now())).isTrue();
        ModelVersion ready = store.getModelVersion(workspace, "fenced", 1).orElseThrow();
        assertThat(ready.status()).isEqualTo(ModelVersion.READY);
        assertThat(ready.storageLocation()).isEqualTo(takenOver.storageLocation());
    }

    @Test
    void deletedVersionsForgetTheirStorageAndKeepTheirNumber() {
        store.createRegisteredModel(workspace, "d", Optional.empty(), List.of(), now());
        version("d", "runs:/r/model");
        version("d", "runs:/r/model");
        assertThat(store.storageLocations(workspace, "d")).containsExactlyInAnyOrder("registry/d1", "registry/d2");
        assertThat(store.deleteModelVersion(workspace, "d", 1, now())).isTrue();
        assertThat(store.getModelVersion(workspace, "d", 1)).isEmpty();
        assertThat(store.storageLocations(workspace, "d")).containsExactly("registry/d2");
        assertThat(version("d", "runs:/r/model").version()).isEqualTo("3");
    }

    @Test
    void stagesAndAliasesFollowTheirVersions() {
        store.createRegisteredModel(workspace, "s", Optional.empty(), List.of(), now());
        version("s", "a");
        version("s", "b");
        store.transitionStage(workspace, "s", 1, ModelStage.PRODUCTION, false, now());
        store.transitionStage(workspace, "s", 2, ModelStage.PRODUCTION, true, now());
        assertThat(store.getModelVersion(workspace, "s", 1).orElseThrow().currentStage()).isEqualTo("Archived");
        assertThat(store.setAlias(workspace, "s", "champion", 2)).isTrue();
        assertThat(store.setAlias(workspace, "s", "champion", 9)).isFalse();
        assertThat(store.aliasVersion(workspace, "s", "champion")).contains(2L);
        store.deleteModelVersion(workspace, "s", 2, now());
        assertThat(store.aliasVersion(workspace, "s", "champion")).isEmpty();
    }

    @Test
    void modelSearchFiltersOnNameAndTagsTheSameWayOnEveryDatabase() {
        store.createRegisteredModel(workspace, "Fraud-Detector", Optional.empty(), List.of(new KeyValue("team", "risk")), now());
        store.createRegisteredModel(workspace, "fraud-scorer", Optional.empty(), List.of(new KeyValue("team", "Risk-ML")), now());
        store.createRegisteredModel(workspace, "churn", Optional.empty(), List.of(new KeyValue("stage", "dev")), now());
        assertThat(models("name LIKE 'fraud%'")).containsExactly("fraud-scorer");
        assertThat(models("name ILIKE 'fraud%'")).containsExactly("Fraud-Detector", "fraud-scorer");
        assertThat(models("tags.team = 'risk'")).containsExactly("Fraud-Detector");
        assertThat(models("tags.team ILIKE 'risk%'")).containsExactly("Fraud-Detector", "fraud-scorer");
        assertThat(models("tags.team != 'risk'")).containsExactly("fraud-scorer");
        assertThat(models("tag.`team` LIKE '%ML' AND name != 'churn'")).containsExactly("fraud-scorer");
        assertThat(models("tags.missing = 'x'")).isEmpty();
    }

    @Test
    void versionSearchFiltersOnRunsSourcesNumbersAndTags() {
        store.createRegisteredModel(workspace, "v", Optional.empty(), List.of(), now());
        store.createModelVersion(workspace, new NewModelVersion("v", "runs:/r1/model", Optional.of("r1"),
                List.of(new KeyValue("validated", "true")), ""), "c", "registry/v1", OWNER, 0, now());
        store.createModelVersion(workspace, new NewModelVersion("v", "runs:/r2/model", Optional.of("r2"), List.of(), ""), "c", "registry/v2", OWNER, 0, now());
        store.createModelVersion(workspace, new NewModelVersion("v", "mlflow-artifacts:/x", Optional.of("r3"),
                List.of(new KeyValue("validated", "false")), ""), "c", "registry/v3", OWNER, 0, now());
        assertThat(versions("run_id IN ('r1', 'r3')")).containsExactly("3", "1");
        assertThat(versions("source_path LIKE 'runs:/%'")).containsExactly("2", "1");
        assertThat(versions("version_number >= 2")).containsExactly("3", "2");
        assertThat(versions("tags.validated = 'true'")).containsExactly("1");
        assertThat(versions("name = 'v' AND tags.validated ILIKE 'FALSE'")).containsExactly("3");
        assertThat(store.searchModelVersions(workspace, RegistryFilter.parse("", RegistryFilter.VERSIONS), "version ASC", 1, 1))
                .extracting(ModelVersion::version).containsExactly("2");
    }

    @Test
    void aVersionKeepsTheLoggedModelItWasRegisteredFrom() {
        store.createRegisteredModel(workspace, "lm", Optional.empty(), List.of(), now());
        String modelId = "m-0123456789abcdef0123456789abcdef";
        ModelVersion fromLoggedModel = store.createModelVersionWithoutFiles(workspace, new NewModelVersion("lm",
                "mlflow-artifacts:/1/models/" + modelId + "/artifacts", Optional.empty(), List.of(), "", Optional.of(modelId)), now())
                .orElseThrow();
        ModelVersion plain = store.createModelVersion(workspace, new NewModelVersion("lm", "runs:/r1/model", Optional.of("r1"), List.of(), ""),
                "c", "registry/lm2", OWNER, 0, now()).orElseThrow();
        assertThat(fromLoggedModel.modelId()).isEqualTo(modelId);
        assertThat(plain.modelId()).isNull();
        assertThat(store.getModelVersion(workspace, "lm", 1).orElseThrow().modelId()).isEqualTo(modelId);
        assertThat(store.searchModelVersions(workspace, RegistryFilter.parse("name = 'lm'", RegistryFilter.VERSIONS), "version ASC", 0, 10))
                .extracting(ModelVersion::modelId).containsExactly(modelId, null);
    }

    private List<String> models(String filter) {
        return store.searchRegisteredModels(workspace, RegistryFilter.parse(filter, RegistryFilter.MODELS), "name ASC", 0, 100).stream()
                .map(RegisteredModel::name).toList();
    }

    private List<String> versions(String filter) {
        return store.searchModelVersions(workspace, RegistryFilter.parse(filter, RegistryFilter.VERSIONS), "version DESC", 0, 100).stream()
                .map(ModelVersion::version).toList();
    }

    /** A new pending version whose storage is {@code registry/<name><version>}. */
    private ModelVersion version(String name, String source) {
        ModelVersion created = store.createModelVersion(workspace, new NewModelVersion(name, source, Optional.empty(), List.of(), ""),
                "copy", "registry/pending", OWNER, Long.MAX_VALUE, now()).orElseThrow();
        String location = "registry/" + name + created.version();
        database.writeVoid(handle -> handle.createUpdate("UPDATE model_versions SET storage_location = :location "
                        + "WHERE workspace = :workspace AND name = :name AND version = :version")
                .bind("location", location).bind("workspace", workspace).bind("name", name).bind("version", Long.parseLong(created.version()))
                .execute());
        return store.getModelVersion(workspace, name, Long.parseLong(created.version())).orElseThrow();
    }

    private long now() {
        return ++clock;
    }
}
