package dev.atelier.server.data;

import dev.atelier.server.tracking.Dataset;
import dev.atelier.server.tracking.DatasetInput;
import dev.atelier.server.tracking.Experiment;
import dev.atelier.server.tracking.ExperimentQuery;
import dev.atelier.server.tracking.Page;
import dev.atelier.server.tracking.Run;
import dev.atelier.server.tracking.RunQuery;
import dev.atelier.server.tracking.TrackingService;
import dev.atelier.server.tracking.search.ViewType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Reads data lineage out of MLflow's {@code log-inputs} datasets, through the tracking service.
 * A logged dataset names a data asset version when its source mentions {@code data:<name>:<version>}
 * (as in {@code mlflow.data.from_pandas(df, name="iris", source="data:iris:3")}), when its name is
 * such a reference, or when its name is the asset's name and its digest is a prefix of the
 * version's SHA-256 digest. Runs are found by dataset name, so the dataset must carry the asset's
 * name or the reference. Thread-safe.
 */
final class MlflowDatasetLineage {
    static final String SOURCE = "mlflow";
    private static final Pattern REFERENCE = Pattern.compile("data:([A-Za-z0-9][A-Za-z0-9._-]{0,254}):([0-9]{1,9})");
    private static final int PAGE = 1000;

    private final TrackingService tracking;

    MlflowDatasetLineage(TrackingService tracking) {
        this.tracking = requireNonNull(tracking, "tracking is null");
    }

    /** The data versions a run's logged datasets name ({@code digestOf} gives a version's digest, empty when unknown). */
    List<DataReference> inputsOf(Run run, DigestLookup digestOf) {
        Set<DataReference> found = new LinkedHashSet<>();
        for (DatasetInput input : run.inputs().datasetInputs()) {
            named(input.dataset(), digestOf).ifPresent(found::add);
        }
        return List.copyOf(found);
    }

    /** The ids of runs whose logged datasets name {@code name}:{@code version}. */
    List<String> runsUsing(String workspace, String name, int version, DigestLookup digestOf) {
        List<Long> experimentIds = new ArrayList<>();
        Optional<String> token = Optional.empty();
        do {
            Page<Experiment> page = tracking.searchExperiments(workspace, new ExperimentQuery("", ViewType.ALL, List.of()), PAGE, token);
            page.items().forEach(experiment -> experimentIds.add(Long.parseLong(experiment.experimentId())));
            token = page.nextPageToken();
        } while (token.isPresent());
        if (experimentIds.isEmpty()) {
            return List.of();
        }
        DataReference wanted = new DataReference(name, Optional.of(version));
        Set<String> runIds = new LinkedHashSet<>();
        for (String datasetName : List.of(name, wanted.toString())) {
            String filter = "datasets.name = '" + datasetName.replace("'", "\\'") + "'";
            Optional<String> runToken = Optional.empty();
            do {
                Page<Run> page = tracking.searchRuns(workspace, new RunQuery(experimentIds, filter, ViewType.ALL, List.of()), PAGE, runToken);
                for (Run run : page.items()) {
                    if (inputsOf(run, digestOf).contains(wanted)) {
                        runIds.add(run.info().runUuid());
                    }
                }
                runToken = page.nextPageToken();
            } while (runToken.isPresent());
        }
        return List.copyOf(runIds);
    }

    private static Optional<DataReference> named(Dataset dataset, DigestLookup digestOf) {
        for (String text : List.of(dataset.source(), dataset.name())) {
            Matcher matcher = REFERENCE.matcher(text == null ? "" : text);
            if (matcher.find()) {
                return Optional.of(new DataReference(matcher.group(1), Optional.of(Integer.parseInt(matcher.group(2)))));
            }
        }
        if (dataset.digest() == null || dataset.digest().isBlank()) {
            return Optional.empty();
        }
        return digestOf.versionWithDigestPrefix(dataset.name(), dataset.digest())
                .map(version -> new DataReference(dataset.name(), Optional.of(version)));
    }

    /** Finds the version of an asset whose digest starts with a logged dataset's digest. */
    @FunctionalInterface
    interface DigestLookup {
        Optional<Integer> versionWithDigestPrefix(String name, String digest);
    }
}
