package dev.atelier.server.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.registry.ModelVersion;
import dev.atelier.server.tracking.Page;
import dev.atelier.server.registry.RegistryService;
import dev.atelier.server.tracking.Run;
import dev.atelier.server.tracking.TrackingService;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Answers lineage questions: which runs read or produced a data version and which model versions
 * were registered from the runs that read it; what a model version was trained on; what a run read
 * and wrote. Recorded lineage ({@link DataService#recordLineage}) and MLflow's logged datasets
 * ({@link MlflowDatasetLineage}) both count. Tracking and the registry are asked through their
 * services. Thread-safe.
 */
public final class DataLineage {
    private static final int CHUNK = 100;

    private final DataAssetStore store;
    private final TrackingService tracking;
    private final RegistryService registry;
    private final MlflowDatasetLineage mlflow;

    DataLineage(DataAssetStore store, TrackingService tracking, RegistryService registry) {
        this.store = requireNonNull(store, "store is null");
        this.tracking = requireNonNull(tracking, "tracking is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.mlflow = new MlflowDatasetLineage(tracking);
    }

    /** One run's use of a data version. */
    public record Use(@JsonProperty("name") String name, @JsonProperty("version") int version,
                      @JsonProperty("reference") String reference, @JsonProperty("run_id") String runId,
                      @JsonProperty("direction") String direction, @JsonProperty("source") String source) {
        static Use of(LineageRecord record) {
            return new Use(record.name(), record.version(), DataReference.PREFIX + record.name() + ":" + record.version(),
                    record.runId(), record.direction().wireName(), record.source());
        }
    }

    /** A model version registered from a run. */
    public record ModelUse(@JsonProperty("name") String name, @JsonProperty("version") String version,
                           @JsonProperty("run_id") String runId) {
    }

    boolean isUsed(String workspace, DataVersion version) {
        return !store.lineageOfVersion(workspace, version.name(), version.version()).isEmpty()
                || !mlflow.runsUsing(workspace, version.name(), version.version(), lookup(workspace)).isEmpty();
    }

    /** {@code runs} and {@code models} of one data version; answers for a deleted version too. */
    public Map<String, Object> ofVersion(String workspace, String name, int version) {
        List<Use> runs = new ArrayList<>(store.lineageOfVersion(workspace, name, version).stream().map(Use::of).toList());
        for (String runId : mlflow.runsUsing(workspace, name, version, lookup(workspace))) {
            if (runs.stream().noneMatch(use -> use.runId().equals(runId) && use.direction().equals("input"))) {
                runs.add(new Use(name, version, DataReference.PREFIX + name + ":" + version, runId, "input", MlflowDatasetLineage.SOURCE));
            }
        }
        List<String> readers = runs.stream().filter(use -> use.direction().equals("input")).map(Use::runId).distinct().toList();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("name", name);
        answer.put("version", version);
        answer.put("registered", store.getVersion(workspace, name, version).isPresent());
        answer.put("runs", runs);
        answer.put("models", modelsOf(workspace, readers));
        return answer;
    }

    /** What a model version was trained on: the data its source run read. */
    public Map<String, Object> ofModel(String workspace, String modelName, String modelVersion) {
        ModelVersion model = registry.getModelVersion(workspace, modelName, modelVersion);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("model", new ModelUse(model.name(), model.version(), model.runId()));
        answer.put("inputs", model.runId() == null || model.runId().isEmpty() ? List.of()
                : ofRun(workspace, model.runId()).get("inputs"));
        return answer;
    }

    /** {@code inputs} and {@code outputs} of one run. */
    public Map<String, Object> ofRun(String workspace, String runId) {
        Run run = tracking.getRun(workspace, runId);
        List<Use> inputs = new ArrayList<>();
        List<Use> outputs = new ArrayList<>();
        for (LineageRecord record : store.lineageOfRuns(workspace, List.of(runId))) {
            (record.direction() == LineageDirection.INPUT ? inputs : outputs).add(Use.of(record));
        }
        for (DataReference reference : mlflow.inputsOf(run, lookup(workspace))) {
            int version = reference.version().orElseThrow();
            if (inputs.stream().noneMatch(use -> use.name().equals(reference.name()) && use.version() == version)) {
                inputs.add(new Use(reference.name(), version, reference.toString(), runId, "input", MlflowDatasetLineage.SOURCE));
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("run_id", runId);
        answer.put("inputs", inputs);
        answer.put("outputs", outputs);
        answer.put("models", modelsOf(workspace, List.of(runId)));
        return answer;
    }

    private List<ModelUse> modelsOf(String workspace, List<String> runIds) {
        List<ModelUse> models = new ArrayList<>();
        for (int start = 0; start < runIds.size(); start += CHUNK) {
            List<String> chunk = runIds.subList(start, Math.min(runIds.size(), start + CHUNK));
            String filter = "run_id IN (" + String.join(", ", chunk.stream().map(id -> "'" + id.replace("'", "") + "'").toList()) + ")";
            Optional<String> token = Optional.empty();
            do {
                Page<ModelVersion> page = registry.searchModelVersions(workspace, filter, List.of(), Optional.of(CHUNK), token);
                page.items().forEach(version -> models.add(new ModelUse(version.name(), version.version(), version.runId())));
                token = page.nextPageToken();
            } while (token.isPresent());
        }
        return List.copyOf(models);
    }

    private MlflowDatasetLineage.DigestLookup lookup(String workspace) {
        return (name, digest) -> {
            if (!DataService.NAME.matcher(name).matches()) {
                return Optional.empty();
            }
            String wanted = digest.toLowerCase(java.util.Locale.ROOT);
            return store.listVersions(workspace, name, true).stream()
                    .filter(version -> version.digest().startsWith("sha256:" + wanted) || version.digest().equals(wanted))
                    .map(DataVersion::version)
                    .findFirst();
        };
    }

    /** Checks that a run exists before lineage is recorded for it; {@code RESOURCE_DOES_NOT_EXIST} otherwise. */
    void requireRun(String workspace, String runId) {
        try {
            tracking.getRunInfo(workspace, runId);
        } catch (AtelierException e) {
            if (e.errorCode() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                throw AtelierException.invalidParameter("Invalid value '" + runId + "' for parameter 'run_id': no such run in "
                        + "workspace '" + workspace + "'");
            }
            throw e;
        }
    }
}
