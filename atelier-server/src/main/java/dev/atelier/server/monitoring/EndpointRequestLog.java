package dev.atelier.server.monitoring;

import dev.atelier.server.artifacts.ArtifactPath;
import dev.atelier.server.data.DataService;
import dev.atelier.server.data.DataType;
import dev.atelier.server.data.DataVersion;
import dev.atelier.server.data.Datastore;
import dev.atelier.server.data.DatastoreFiles;
import dev.atelier.server.data.DatastoreService;
import dev.atelier.server.data.NewDataVersion;
import dev.atelier.server.models.ModelInput;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Request/response logging of online endpoints (Azure ML's data collector). {@link #offer} keeps a
 * sampled share of requests in a bounded in-memory buffer (one random draw when not sampled); a
 * background virtual thread writes the buffer every flush interval, and {@link #close} writes the
 * rest. Each flush writes, per endpoint, one CSV file ({@link RequestLogCsv}) to the workspace's
 * default datastore under {@code endpoint-requests/<endpoint>/<date>/} and registers it as a new
 * version of the {@code table} data asset {@code <endpoint>-requests}: versions stay immutable, each
 * holds the requests of one flush, and its tags say which ({@code endpoint}, {@code first_request_at},
 * {@code last_request_at} in epoch milliseconds, {@code rows}). Thread-safe.
 */
public final class EndpointRequestLog implements AutoCloseable {
    /** Requests kept waiting at most; more are dropped (and counted) until the next flush. */
    static final int MAX_BUFFERED = 10_000;
    static final String FOLDER = "endpoint-requests";
    static final String ASSET_SUFFIX = "-requests";
    static final String TAG_ENDPOINT = "endpoint";
    static final String TAG_FIRST = "first_request_at";
    static final String TAG_LAST = "last_request_at";
    static final String TAG_ROWS = "rows";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss.SSS").withZone(ZoneOffset.UTC);
    private static final Logger LOG = LoggerFactory.getLogger(EndpointRequestLog.class);

    private final DataService data;
    private final DatastoreService datastores;
    private final Queue<LoggedRequest> buffer = new ConcurrentLinkedQueue<>();
    private final AtomicInteger buffered = new AtomicInteger();
    private final Counter dropped;
    private final Object flushLock = new Object();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread flusher;

    /**
     * @param flushInterval how often the buffer is written (one minute in the server); zero starts no
     *                      background thread, and the buffer is written only by {@link #flush} and {@link #close}
     */
    public EndpointRequestLog(DataService data, DatastoreService datastores, MeterRegistry meters, Duration flushInterval) {
        this.data = requireNonNull(data, "data is null");
        this.datastores = requireNonNull(datastores, "datastores is null");
        this.dropped = Counter.builder("atelier.endpoint.request.log.dropped")
                .description("Sampled scoring requests not logged because the buffer was full").register(meters);
        this.flusher = flushInterval.isZero() ? null
                : Thread.ofVirtual().name("endpoint-request-log-flush").start(() -> flushEvery(flushInterval));
    }

    /** The name of the data asset holding an endpoint's logged requests. */
    public static String assetName(String endpoint) {
        return endpoint + ASSET_SUFFIX;
    }

    /**
     * Keeps the request for logging with probability {@code samplingRate} (0 to 1) and answers whether it
     * did. {@code parsedInput} is the input as the deployment's protocol parsed it; empty (a scoring
     * script's raw JSON) logs the raw body in the {@code request} column. The arrays are not copied.
     */
    public boolean offer(String workspace, String endpoint, String deployment, double samplingRate, Optional<ModelInput> parsedInput,
                         byte[] requestBody, String contentType, byte[] responseBody, long epochMillis, String requestId) {
        if (!(samplingRate >= 1.0) && (samplingRate <= 0 || ThreadLocalRandom.current().nextDouble() >= samplingRate)) {
            return false;
        }
        if (buffered.incrementAndGet() > MAX_BUFFERED) {
            buffered.decrementAndGet();
            dropped.increment();
            return false;
        }
        buffer.add(new LoggedRequest(workspace, endpoint, deployment, parsedInput, requestBody,
                contentType == null ? "" : contentType, responseBody, epochMillis, requestId));
        return true;
    }

    private void flushEvery(Duration interval) {
        try {
            while (!stop.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
                flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes what the buffer holds: per (workspace, endpoint), one CSV file and one new version of its
     * asset. A group that cannot be written (workspace deleted, storage down) is logged and dropped; its
     * file is removed.
     */
    public List<DataVersion> flush() {
        synchronized (flushLock) {
            Map<List<String>, List<LoggedRequest>> groups = new LinkedHashMap<>();
            LoggedRequest next;
            while ((next = buffer.poll()) != null) {
                buffered.decrementAndGet();
                groups.computeIfAbsent(List.of(next.workspace(), next.endpoint()), key -> new ArrayList<>()).add(next);
            }
            List<DataVersion> written = new ArrayList<>();
            groups.forEach((key, requests) -> {
                try {
                    written.add(write(key.get(0), key.get(1), requests));
                } catch (RuntimeException | IOException e) {
                    LOG.warn("logging {} requests of endpoint '{}' in workspace '{}' failed: {}", requests.size(), key.get(1),
                            key.get(0), e.toString());
                }
            });
            return written;
        }
    }

    private DataVersion write(String workspace, String endpoint, List<LoggedRequest> requests) throws IOException {
        byte[] csv = RequestLogCsv.write(requests);
        long first = requests.stream().mapToLong(LoggedRequest::epochMillis).min().orElseThrow();
        long last = requests.stream().mapToLong(LoggedRequest::epochMillis).max().orElseThrow();
        Instant firstAt = Instant.ofEpochMilli(first);
        ArtifactPath path = ArtifactPath.parse(FOLDER + "/" + endpoint + "/" + DAY.format(firstAt) + "/" + TIME.format(firstAt)
                + "-" + UUID.randomUUID().toString().substring(0, 8) + ".csv");
        Datastore datastore = datastores.get(workspace, Datastore.DEFAULT);
        try (DatastoreFiles files = datastores.open(workspace, datastore)) {
            files.write(path, new ByteArrayInputStream(csv));
            boolean registered = false;
            try {
                long rows = csv.length == 0 ? 0 : countLines(csv) - 1;
                Map<String, String> tags = Map.of(TAG_ENDPOINT, endpoint, TAG_FIRST, Long.toString(first), TAG_LAST,
                        Long.toString(last), TAG_ROWS, Long.toString(rows));
                DataVersion version = data.create(workspace, new NewDataVersion(assetName(endpoint), DataType.TABLE,
                        new NewDataVersion.DatastorePath(Datastore.DEFAULT, path.value()), "Requests to endpoint '" + endpoint
                        + "' from " + firstAt + " to " + Instant.ofEpochMilli(last), tags, OptionalInt.empty()),
                        "endpoint:" + endpoint);
                registered = true;
                return version;
            } finally {
                if (!registered) {
                    files.delete(path);
                }
            }
        }
    }

    /** Lines of the CSV: cells with line breaks are quoted, so count only breaks outside quotes. */
    private static long countLines(byte[] csv) {
        long lines = 0;
        boolean quoted = false;
        for (byte b : csv) {
            if (b == '"') {
                quoted = !quoted;
            } else if (b == '\n' && !quoted) {
                lines++;
            }
        }
        return lines;
    }

    /** Stops the flusher and writes what is buffered. */
    @Override
    public void close() {
        stop.countDown();
        if (flusher != null) {
            try {
                flusher.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flush();
    }
}
