package dev.atelier.server.monitoring;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Request metrics of online endpoints: {@link #record} is called by the endpoint router for every
 * scoring request and only adds to in-memory counters (a map look-up, lock-free adders, cached
 * Micrometer meters); no database write and no lock on that path. Per (workspace, endpoint,
 * deployment, minute) it keeps counts, client and server errors, a {@link LatencyHistogram} and
 * payload sizes. A background virtual thread writes finished minutes to the
 * {@link EndpointMetricsStore} every flush interval, and {@link #close} writes the rest.
 *
 * <p>A minute is handed to the flusher {@value #GRACE_MILLIS} ms after it ends and written one cycle
 * later, so that {@code record} calls that fetched it just before are done with it. A request counted
 * in a minute already handed over starts a new partial row of that minute; readers add rows up.
 * Thread-safe.
 */
public final class EndpointMonitor implements AutoCloseable {
    static final long GRACE_MILLIS = 5_000;
    /** Partial minutes kept for a retry while the database refuses writes; older ones are dropped. */
    private static final int MAX_PENDING = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(EndpointMonitor.class);

    private final EndpointMetricsStore store;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<SeriesKey, EndpointSeries> series = new ConcurrentHashMap<>();
    /** Minutes handed over by the last cycle, written by the next; guarded by {@link #flushLock}. */
    private final List<Retired> retired = new ArrayList<>();
    private final Object flushLock = new Object();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread flusher;

    /** The identity of a series: one deployment of one endpoint. */
    record SeriesKey(String workspace, String endpoint, String deployment) {
    }

    private record Retired(EndpointSeries series, MinuteAggregate aggregate) {
    }

    /**
     * @param flushInterval how often finished minutes are written (10 s in the server); zero starts no
     *                      background thread, and minutes are written only by {@link #flush} and {@link #close}
     */
    public EndpointMonitor(EndpointMetricsStore store, MeterRegistry meters, Clock clock, Duration flushInterval) {
        this.store = requireNonNull(store, "store is null");
        this.meters = requireNonNull(meters, "meters is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.flusher = flushInterval.isZero() ? null
                : Thread.ofVirtual().name("endpoint-metrics-flush").start(() -> flushEvery(flushInterval));
    }

    /** Counts one answered scoring request. Cheap and non-blocking; see the class comment. */
    public void record(ScoringRecord record) {
        SeriesKey key = new SeriesKey(record.workspace(), record.endpoint(), record.deployment());
        EndpointSeries found = series.get(key);
        if (found == null) {
            found = series.computeIfAbsent(key, k -> new EndpointSeries(k, meters));
        }
        found.record(record);
    }

    private void flushEvery(Duration interval) {
        try {
            while (!stop.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    flush();
                } catch (RuntimeException e) {
                    LOG.warn("writing endpoint metrics failed; retrying at the next flush: {}", e.toString());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One flush cycle: writes the minutes handed over by the previous cycle, then hands over those
     * that ended more than {@value #GRACE_MILLIS} ms ago.
     */
    public void flush() {
        synchronized (flushLock) {
            writeRetired();
            retireBefore(Math.floorDiv(clock.millis() - GRACE_MILLIS, 60_000L) * 60_000L);
        }
    }

    private void retireBefore(long minuteStart) {
        for (EndpointSeries one : series.values()) {
            for (MinuteAggregate aggregate : one.retireBefore(minuteStart)) {
                retired.add(new Retired(one, aggregate));
            }
        }
    }

    private void writeRetired() {
        if (retired.isEmpty()) {
            return;
        }
        try {
            store.insert(retired.stream().map(entry -> entry.series().snapshot(entry.aggregate())).toList());
            retired.clear();
        } finally {
            if (retired.size() > MAX_PENDING) {
                LOG.warn("dropping {} minutes of endpoint metrics that could not be written", retired.size() - MAX_PENDING);
                retired.subList(0, retired.size() - MAX_PENDING).clear();
            }
        }
    }

    /**
     * The metrics of an endpoint (one deployment when given) in buckets of {@code bucketMillis} (a
     * multiple of a minute) aligned on the epoch, covering {@code [fromMillis, toMillis)}: the rows
     * written so far merged with the minutes still in memory. Every bucket is listed, empty ones with
     * zero requests.
     */
    public List<MetricsPoint> series(String workspace, String endpoint, Optional<String> deployment, long fromMillis, long toMillis,
                                     long bucketMillis) {
        if (bucketMillis <= 0 || bucketMillis % 60_000 != 0) {
            throw new IllegalArgumentException("bucket must be a positive multiple of a minute: " + bucketMillis);
        }
        long first = Math.floorDiv(fromMillis, bucketMillis) * bucketMillis;
        List<MinuteMetrics> rows = new ArrayList<>();
        synchronized (flushLock) {
            rows.addAll(store.list(workspace, endpoint, deployment, first, toMillis));
            for (Retired entry : retired) {
                if (matches(entry.series().key(), workspace, endpoint, deployment)) {
                    rows.add(entry.series().snapshot(entry.aggregate()));
                }
            }
            series.values().stream().filter(one -> matches(one.key(), workspace, endpoint, deployment))
                    .forEach(one -> rows.addAll(one.snapshotLive()));
        }
        TreeMap<Long, MinuteMetrics> buckets = new TreeMap<>();
        for (MinuteMetrics row : rows) {
            if (row.minuteStart() >= first && row.minuteStart() < toMillis) {
                buckets.merge(Math.floorDiv(row.minuteStart(), bucketMillis) * bucketMillis, row, MinuteMetrics::merge);
            }
        }
        List<MetricsPoint> points = new ArrayList<>();
        for (long time = first; time < toMillis; time += bucketMillis) {
            points.add(MetricsPoint.of(time, buckets.get(time)));
        }
        return points;
    }

    private static boolean matches(SeriesKey key, String workspace, String endpoint, Optional<String> deployment) {
        return key.workspace().equals(workspace) && key.endpoint().equals(endpoint)
                && deployment.map(key.deployment()::equals).orElse(true);
    }

    /** Forgets an endpoint: its rows, its minutes in memory and its meters (the endpoint was deleted). */
    public void forgetEndpoint(String workspace, String endpoint) {
        forget(key -> key.workspace().equals(workspace) && key.endpoint().equals(endpoint));
        store.deleteEndpoint(workspace, endpoint);
    }

    /** Deletes the stored rows of minutes before {@code cutoffMillis} (retention); returns how many. */
    public long deleteBefore(long cutoffMillis) {
        return store.deleteBefore(cutoffMillis);
    }

    /** Forgets a deleted workspace's endpoints. */
    public void forgetWorkspace(String workspace) {
        forget(key -> key.workspace().equals(workspace));
        store.deleteWorkspace(workspace);
    }

    private void forget(java.util.function.Predicate<SeriesKey> which) {
        synchronized (flushLock) {
            retired.removeIf(entry -> which.test(entry.series().key()));
            series.values().removeIf(one -> {
                if (which.test(one.key())) {
                    one.removeMeters();
                    return true;
                }
                return false;
            });
        }
    }

    /**
     * Stops the flusher and writes every minute, the current one included. Call it after the router
     * stopped: a request recorded later is not written.
     */
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
        synchronized (flushLock) {
            retireBefore(Long.MAX_VALUE);
            writeRetired();
        }
    }
}
