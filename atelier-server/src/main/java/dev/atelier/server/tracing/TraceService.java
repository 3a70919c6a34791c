package dev.atelier.server.tracing;

import dev.atelier.api.AtelierException;
import dev.atelier.server.artifacts.ArtifactContent;
import dev.atelier.server.artifacts.ArtifactService;
import dev.atelier.server.tracking.Experiment;
import dev.atelier.server.tracking.Page;
import dev.atelier.server.tracking.PageToken;
import dev.atelier.server.tracking.TrackingService;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * MLflow's traces: their infos in the {@link TraceStore}, their spans either as the artifact {@code traces.json} that
 * the client writes and reads itself under the location this service puts in the tag {@code mlflow.artifactLocation}:
 * {@code <experiment artifact location>/traces/<request id>/artifacts}, as MLflow's server does, or, for spans sent over
 * OTLP ({@link #logSpans}), in the {@link TraceSpanStore}, the trace then tagged
 * {@code mlflow.trace.spansLocation = TRACKING_STORE} as MLflow 3's SQL store tags it. A trace's experiment
 * must exist (RESOURCE_DOES_NOT_EXIST otherwise); a missing trace is RESOURCE_DOES_NOT_EXIST. Deleting traces deletes
 * their artifacts when this server stores them. Thread-safe.
 */
public final class TraceService {
    /** MLflow's SearchTraces default and the most one page returns. */
    public static final int DEFAULT_SEARCH_RESULTS = 100;
    public static final int MAX_SEARCH_RESULTS = 500;
    /** MLflow's limit of traces per LinkTracesToRun. */
    public static final int MAX_LINKED_TRACES = 100;
    /** The largest traces.json the portal reads into memory to show. */
    public static final long MAX_SPANS_BYTES = 32L * 1024 * 1024;

    /** The tag that tells MLflow 3's clients where a trace's spans are, and the value for "in the database". */
    public static final String SPANS_LOCATION_TAG = "mlflow.trace.spansLocation";
    public static final String TRACKING_STORE = "TRACKING_STORE";

    private final TraceStore store;
    private final TraceSpanStore spanStore;
    private final TrackingService tracking;
    private final ArtifactService artifacts;
    private final Clock clock;

    public TraceService(TraceStore store, TraceSpanStore spanStore, TrackingService tracking, ArtifactService artifacts, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.spanStore = requireNonNull(spanStore, "spanStore is null");
        this.tracking = requireNonNull(tracking, "tracking is null");
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** MLflow 2's StartTrace: a new trace IN_PROGRESS with a fresh 32-hex-digit request id. */
    public TraceInfo start(String workspace, String experimentId, Optional<Long> timestampMs, Map<String, String> metadata,
                           Map<String, String> tags) {
        String requestId = UUID.randomUUID().toString().replace("-", "");
        Experiment experiment = tracking.getExperiment(workspace, experimentId);
        TraceInfo trace = new TraceInfo(requestId, experiment.experimentId(), timestampMs.orElseGet(clock::millis), 0,
                TraceStatus.IN_PROGRESS, Optional.empty(), Optional.empty(), Optional.empty(), metadata,
                withArtifactLocation(tags, experiment, requestId));
        store.put(workspace, trace);
        return trace;
    }

    /**
     * MLflow 3's StartTraceV3: the client sends the whole info of a trace, usually finished, with its own trace id
     * ({@code tr-} and 32 hex digits); a trace with that id is replaced. A missing id gets a fresh one. A trace whose
     * spans came over OTLP keeps its tag {@code mlflow.trace.spansLocation}, so the client does not upload them again.
     */
    public TraceInfo log(String workspace, TraceInfo sent) {
        Experiment experiment = tracking.getExperiment(workspace, sent.experimentId());
        String traceId = sent.requestId().isEmpty() ? "tr-" + HexFormat.of().formatHex(randomBytes()) : sent.requestId();
        Map<String, String> tags = new LinkedHashMap<>(sent.tags());
        store.get(workspace, traceId).map(stored -> stored.tags().get(SPANS_LOCATION_TAG))
                .ifPresent(location -> tags.put(SPANS_LOCATION_TAG, location));
        TraceInfo trace = new TraceInfo(traceId, experiment.experimentId(), sent.timestampMs(), sent.executionTimeMs(), sent.status(),
                sent.clientRequestId(), sent.requestPreview(), sent.responsePreview(), sent.requestMetadata(),
                withArtifactLocation(tags, experiment, traceId));
        store.put(workspace, trace);
        return trace;
    }

    /** MLflow 2's EndTrace: the execution time is {@code timestampMs} less the start; metadata and tags are merged. */
    public TraceInfo end(String workspace, String requestId, long timestampMs, TraceStatus status, Map<String, String> metadata,
                         Map<String, String> tags) {
        TraceInfo started = get(workspace, requestId);
        Map<String, String> mergedTags = new LinkedHashMap<>(tags);
        mergedTags.remove(TraceInfo.ARTIFACT_LOCATION_TAG);  // the server chose it
        store.end(workspace, requestId, Math.max(0, timestampMs - started.timestampMs()), status, metadata, mergedTags);
        return get(workspace, requestId);
    }

    public TraceInfo get(String workspace, String requestId) {
        return store.get(workspace, requestId).orElseThrow(() -> notFound(requestId));
    }

    /**
     * MLflow 3's span logging over OTLP ({@code POST /v1/traces}, MLflow's {@code log_spans}): the spans are kept in
     * the database with their trace. A trace that does not exist yet is created from them, as MLflow's SQL store
     * creates it: started at its first span, {@code IN_PROGRESS} until its root span arrives (then {@code OK}, or
     * {@code ERROR} for a root span with that status, starting and lasting as the root span), named after the root
     * span; a trace in progress is ended the same way when its root span arrives. Either is tagged
     * {@code mlflow.trace.spansLocation = TRACKING_STORE}.
     *
     * @throws AtelierException RESOURCE_DOES_NOT_EXIST for a missing experiment, INVALID_PARAMETER_VALUE for a trace
     *         of another experiment
     */
    public void logSpans(String workspace, String experimentId, List<OtlpSpan> spans) {
        Experiment experiment = tracking.getExperiment(workspace, experimentId);
        Map<String, List<OtlpSpan>> byTrace = new LinkedHashMap<>();
        spans.forEach(span -> byTrace.computeIfAbsent(span.traceId(), id -> new ArrayList<>()).add(span));
        byTrace.forEach((traceId, traceSpans) -> {
            Optional<OtlpSpan> root = traceSpans.stream().filter(OtlpSpan::isRoot).findFirst();
            TraceStatus ended = root.map(span -> span.status().equals("ERROR") ? TraceStatus.ERROR : TraceStatus.OK)
                    .orElse(TraceStatus.IN_PROGRESS);
            long durationMs = root.map(span -> (span.endNanos() - span.startNanos()) / 1_000_000).orElse(0L);
            Optional<TraceInfo> existing = store.get(workspace, traceId);
            if (existing.isEmpty()) {
                Map<String, String> tags = new LinkedHashMap<>();
                tags.put(SPANS_LOCATION_TAG, TRACKING_STORE);
                root.ifPresent(span -> tags.put(TraceInfo.NAME_TAG, span.name()));
                long startMs = traceSpans.stream().mapToLong(OtlpSpan::startNanos).min().orElse(0) / 1_000_000;
                store.put(workspace, new TraceInfo(traceId, experiment.experimentId(), startMs, durationMs, ended, Optional.empty(),
                        Optional.empty(), Optional.empty(), Map.of(), withArtifactLocation(tags, experiment, traceId)));
            } else if (!existing.get().experimentId().equals(experiment.experimentId())) {
                throw AtelierException.invalidParameter("Trace '" + traceId + "' belongs to experiment " + existing.get().experimentId()
                        + ", not to experiment " + experiment.experimentId());
            } else if (existing.get().status() == TraceStatus.IN_PROGRESS && root.isPresent()) {
                TraceInfo trace = existing.get();
                Map<String, String> tags = new LinkedHashMap<>(trace.tags());
                tags.put(SPANS_LOCATION_TAG, TRACKING_STORE);
                tags.putIfAbsent(TraceInfo.NAME_TAG, root.get().name());
                store.put(workspace, new TraceInfo(traceId, trace.experimentId(), root.get().startNanos() / 1_000_000, durationMs, ended,
                        trace.clientRequestId(), trace.requestPreview(), trace.responsePreview(), trace.requestMetadata(), tags));
            } else {
                store.setTag(workspace, traceId, SPANS_LOCATION_TAG, TRACKING_STORE);
            }
            spanStore.put(workspace, traceId, traceSpans);
        });
    }

    /** The spans kept in the database of each of these traces that has some, each by start time. */
    public Map<String, List<OtlpSpan>> storedSpans(String workspace, List<String> requestIds) {
        return spanStore.spans(workspace, requestIds);
    }

    /**
     * The spans of a trace: those kept in the database, else those of the traces.json its client wrote; empty when
     * the trace has neither here.
     *
     * @throws AtelierException RESOURCE_DOES_NOT_EXIST for a missing trace, INVALID_PARAMETER_VALUE for a file that is not
     *         spans or is over {@link #MAX_SPANS_BYTES}
     */
    public Optional<List<Span>> spans(String workspace, String requestId) {
        TraceInfo trace = get(workspace, requestId);
        List<OtlpSpan> kept = spanStore.spans(workspace, List.of(requestId)).getOrDefault(requestId, List.of());
        if (!kept.isEmpty()) {
            return Optional.of(kept.stream().map(TraceSpans::fromOtlp).toList());
        }
        Optional<String> folder = trace.artifactLocation().flatMap(location -> artifacts.locate(workspace, location));
        if (folder.isEmpty() || artifacts.list(workspace, folder.get()).stream().noneMatch(file -> file.path().equals("traces.json"))) {
            return Optional.empty();
        }
        try (ArtifactContent content = artifacts.open(workspace, folder.get() + "/traces.json")) {
            if (content.size() > MAX_SPANS_BYTES) {
                throw AtelierException.invalidParameter("The spans of trace '" + requestId + "' are " + content.size()
                        + " bytes, more than the " + MAX_SPANS_BYTES + " shown here; download traces.json from its artifact location");
            }
            return Optional.of(TraceSpans.read(content.stream()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The traces with these ids that exist, in the order asked. */
    public List<TraceInfo> getAll(String workspace, List<String> requestIds) {
        return store.getAll(workspace, requestIds);
    }

    /**
     * One page of the traces of {@code experimentIds} (each must exist) that match {@code filter}.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE for no experiment, a bad filter, order or page size
     */
    public Page<TraceInfo> search(String workspace, List<String> experimentIds, String filter, List<String> orderBy, int maxResults,
                                  Optional<String> pageToken) {
        if (experimentIds.isEmpty()) {
            throw AtelierException.invalidParameter("Missing value for required parameter 'experiment_ids'");
        }
        if (maxResults < 1 || maxResults > MAX_SEARCH_RESULTS) {
            throw AtelierException.invalidParameter("Invalid value " + maxResults + " for parameter 'max_results' supplied. "
                    + "It must be between 1 and " + MAX_SEARCH_RESULTS);
        }
        List<Long> ids = new ArrayList<>();
        for (String experimentId : experimentIds) {
            ids.add(Long.parseLong(tracking.getExperiment(workspace, experimentId).experimentId()));
        }
        int offset = PageToken.decodeOffset(pageToken);
        List<String> found = store.search(workspace, ids, filter, orderBy, maxResults + 1, offset);
        List<String> page = found.subList(0, Math.min(maxResults, found.size()));
        return new Page<>(store.getAll(workspace, page),
                found.size() > maxResults ? Optional.of(PageToken.encode(offset + maxResults)) : Optional.empty());
    }

    public void setTag(String workspace, String requestId, String key, String value) {
        if (!store.setTag(workspace, requestId, key, value)) {
            throw notFound(requestId);
        }
    }

    public void deleteTag(String workspace, String requestId, String key) {
        if (!store.deleteTag(workspace, requestId, key)) {
            get(workspace, requestId);
            throw AtelierException.notFound("No trace tag with key '" + key + "' for trace with request_id '" + requestId + "'");
        }
    }

    /**
     * MLflow's DeleteTraces: either {@code requestIds}, or {@code maxTimestampMs} with an optional {@code maxTraces}
     * (the oldest first); returns how many were deleted.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE when both or neither are given
     */
    public int delete(String workspace, String experimentId, Optional<Long> maxTimestampMs, Optional<Integer> maxTraces,
                      List<String> requestIds) {
        if (maxTimestampMs.isPresent() == !requestIds.isEmpty()) {
            throw AtelierException.invalidParameter("Exactly one of 'max_timestamp_millis' and 'request_ids' must be specified.");
        }
        if (maxTraces.isPresent() && maxTimestampMs.isEmpty()) {
            throw AtelierException.invalidParameter("'max_traces' can only be specified with 'max_timestamp_millis'.");
        }
        if (maxTraces.isPresent() && maxTraces.get() < 1) {
            throw AtelierException.invalidParameter("'max_traces' must be a positive integer, got " + maxTraces.get());
        }
        long experiment = Long.parseLong(tracking.getExperiment(workspace, experimentId).experimentId());
        List<TraceInfo> deleted = maxTimestampMs.isPresent()
                ? store.deleteOlderThan(workspace, experiment, maxTimestampMs.get(), maxTraces.orElse(Integer.MAX_VALUE))
                : store.delete(workspace, experiment, requestIds);
        for (TraceInfo trace : deleted) {
            trace.artifactLocation().flatMap(location -> artifacts.locate(workspace, location))
                    .filter(path -> !path.isEmpty())
                    .ifPresent(path -> artifacts.deletePrefix(workspace, path));
        }
        return deleted.size();
    }

    /**
     * MLflow 3's LinkTracesToRun: these traces (at most {@link #MAX_LINKED_TRACES}) are found by searching on the run
     * ({@code metadata.mlflow.sourceRun = '<run id>'}), as those the run logged are.
     *
     * @throws AtelierException RESOURCE_DOES_NOT_EXIST for a missing run or trace, INVALID_PARAMETER_VALUE for more
     *         than {@link #MAX_LINKED_TRACES} traces
     */
    public void linkToRun(String workspace, String runId, List<String> requestIds) {
        if (requestIds.size() > MAX_LINKED_TRACES) {
            throw AtelierException.invalidParameter("Cannot link more than " + MAX_LINKED_TRACES + " traces to a run in a single "
                    + "request. Provided " + requestIds.size() + " traces.");
        }
        String run = tracking.getRun(workspace, runId).info().runUuid();
        List<String> distinct = requestIds.stream().distinct().toList();
        List<TraceInfo> found = store.getAll(workspace, distinct);
        if (found.size() < distinct.size()) {
            List<String> foundIds = found.stream().map(TraceInfo::requestId).toList();
            throw notFound(distinct.stream().filter(id -> !foundIds.contains(id)).findFirst().orElseThrow());
        }
        store.linkToRun(workspace, run, distinct);
    }

    private static Map<String, String> withArtifactLocation(Map<String, String> tags, Experiment experiment, String requestId) {
        Map<String, String> withLocation = new LinkedHashMap<>(tags);
        withLocation.put(TraceInfo.ARTIFACT_LOCATION_TAG, experiment.artifactLocation().replaceFirst("/+$", "")
                + "/traces/" + requestId + "/artifacts");
        return withLocation;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        new java.security.SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static AtelierException notFound(String requestId) {
        return AtelierException.notFound("Trace with request_id '" + requestId + "' not found.");
    }
}
