package dev.atelier.server.monitoring;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.artifacts.ArtifactContent;
import dev.atelier.server.artifacts.ArtifactPath;
import dev.atelier.server.data.DataService;
import dev.atelier.server.data.DataType;
import dev.atelier.server.data.DataVersion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Drift reports: the inputs an endpoint logged ({@link EndpointRequestLog}) in a period compared with
 * a reference {@code table} data asset, per feature present in both: the PSI and a two-sample test
 * ({@link FeatureComparison}). A feature drifted when its PSI exceeds {@value #PSI_THRESHOLD} or its
 * p-value is below {@value #P_VALUE_THRESHOLD}. Everything is checked before the report is stored.
 * Thread-safe.
 */
public final class DriftService {
    public static final double PSI_THRESHOLD = 0.2;
    public static final double P_VALUE_THRESHOLD = 0.05;
    static final int MAX_LISTED = 1_000;

    private final DriftReportStore store;
    private final DataService data;
    private final EndpointLookup endpoints;
    private final Clock clock;

    public DriftService(DriftReportStore store, DataService data, EndpointLookup endpoints, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.data = requireNonNull(data, "data is null");
        this.endpoints = requireNonNull(endpoints, "endpoints is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Computes, stores and returns a report.
     *
     * @throws AtelierException {@code RESOURCE_DOES_NOT_EXIST} for an unknown endpoint or reference;
     *                          {@code INVALID_PARAMETER_VALUE} for a reference that is not a table, a bad
     *                          period, or no feature in common; {@code INVALID_STATE} when no request was
     *                          logged in the period
     */
    public DriftReport create(String workspace, String endpoint, DriftRequest request, String createdBy) {
        endpoints.requireExists(workspace, endpoint);
        DataVersion reference = data.resolve(workspace, request.reference());
        if (reference.type() != DataType.TABLE) {
            throw AtelierException.invalidParameter("Invalid value '" + request.reference() + "' for parameter 'reference': "
                    + reference.reference() + " is a " + reference.type().wireName() + ", not a table");
        }
        long to = request.to().orElseGet(clock::millis);
        long from = request.from().orElse(0L);
        if (from >= to) {
            throw AtelierException.invalidParameter("Invalid value '" + from + "' for parameter 'from': it must be before 'to' ("
                    + to + ")");
        }
        TableSample current = loggedRequests(workspace, endpoint, from, to, request.deployment());
        if (current.rows() == 0) {
            throw new AtelierException(ErrorCode.INVALID_STATE, "Endpoint '" + endpoint + "' logged no requests"
                    + request.deployment().map(name -> " of deployment '" + name + "'").orElse("") + " between "
                    + Instant.ofEpochMilli(from) + " and " + Instant.ofEpochMilli(to) + "; enable its deployments' data_collector "
                    + "and send requests first");
        }
        TableSample referenceSample = new TableSample();
        read(workspace, reference, referenceSample, cells -> true);
        List<String> referenceColumns = referenceSample.columnNames().stream().toList();
        List<String> loggedColumns = current.columnNames().stream().filter(RequestLogColumns::isInput)
                .filter(column -> current.cells(column).stream().anyMatch(java.util.Objects::nonNull)).toList();
        List<FeatureDrift> features = new ArrayList<>();
        for (String column : referenceColumns) {
            String logged = RequestLogColumns.inputColumn(column);
            if (loggedColumns.contains(logged)) {
                FeatureComparison.compare(column, referenceSample.cells(column), current.cells(logged)).ifPresent(features::add);
            }
        }
        if (features.isEmpty()) {
            throw AtelierException.invalidParameter("Invalid value '" + request.reference() + "' for parameter 'reference': "
                    + "its columns " + referenceColumns + " share none with the inputs endpoint '" + endpoint + "' logged "
                    + loggedColumns);
        }
        List<String> referenceOnly = referenceColumns.stream()
                .filter(column -> !loggedColumns.contains(RequestLogColumns.inputColumn(column))).toList();
        List<String> loggedOnly = loggedColumns.stream()
                .filter(column -> referenceColumns.stream().noneMatch(name -> RequestLogColumns.inputColumn(name).equals(column)))
                .toList();
        DriftReport report = new DriftReport(UUID.randomUUID().toString().replace("-", ""), endpoint, reference.reference(),
                request.deployment(), from, to, referenceSample.rows(), current.rows(),
                features.stream().anyMatch(FeatureDrift::drifted), features, referenceOnly, loggedOnly, createdBy, clock.millis());
        store.insert(workspace, report);
        return report;
    }

    /** The rows logged in {@code [from, to)}, read from the versions of the endpoint's request log whose tags overlap it. */
    private TableSample loggedRequests(String workspace, String endpoint, long from, long to, Optional<String> deployment) {
        TableSample sample = new TableSample();
        for (DataVersion version : logVersions(workspace, endpoint)) {
            if (overlaps(version, from, to)) {
                read(workspace, version, sample, cells -> {
                    Optional<Long> time = timestamp(cells.get(RequestLogColumns.TIMESTAMP));
                    return time.isPresent() && time.get() >= from && time.get() < to
                            && deployment.map(name -> name.equals(cells.get(RequestLogColumns.DEPLOYMENT))).orElse(true);
                });
            }
        }
        return sample;
    }

    private List<DataVersion> logVersions(String workspace, String endpoint) {
        try {
            return data.versions(workspace, EndpointRequestLog.assetName(endpoint), true).reversed().stream()
                    .filter(version -> version.type() == DataType.TABLE)
                    .filter(version -> endpoint.equals(version.tags().get(EndpointRequestLog.TAG_ENDPOINT)))
                    .toList();
        } catch (AtelierException e) {
            if (e.errorCode() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                return List.of();
            }
            throw e;
        }
    }

    private static boolean overlaps(DataVersion version, long from, long to) {
        try {
            long first = Long.parseLong(version.tags().getOrDefault(EndpointRequestLog.TAG_FIRST, Long.toString(Long.MIN_VALUE)));
            long last = Long.parseLong(version.tags().getOrDefault(EndpointRequestLog.TAG_LAST, Long.toString(Long.MAX_VALUE)));
            return first < to && last >= from;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static Optional<Long> timestamp(String cell) {
        if (cell == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(cell).toEpochMilli());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private void read(String workspace, DataVersion version, TableSample sample, TableSample.RowFilter filter) {
        try (ArtifactContent content = data.open(workspace, version, ArtifactPath.parse(version.path()).name())) {
            sample.read(content.stream(), version.reference(), filter);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + version.reference() + " failed", e);
        }
    }

    /** An endpoint's reports, newest first. */
    public List<DriftReport> list(String workspace, String endpoint, int maxResults) {
        endpoints.requireExists(workspace, endpoint);
        if (maxResults < 1 || maxResults > MAX_LISTED) {
            throw AtelierException.invalidParameter("Invalid value " + maxResults + " for parameter 'max_results': it must be "
                    + "between 1 and " + MAX_LISTED);
        }
        return store.list(workspace, endpoint, maxResults);
    }

    public DriftReport get(String workspace, String endpoint, String id) {
        endpoints.requireExists(workspace, endpoint);
        return store.get(workspace, endpoint, id).orElseThrow(() -> AtelierException.notFound("Drift report '" + id
                + "' of endpoint '" + endpoint + "' does not exist in workspace '" + workspace + "'"));
    }
}
