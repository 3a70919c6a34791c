package dev.atelier.server.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static java.util.Objects.requireNonNull;

/**
 * The live state of one (workspace, endpoint, deployment): the minutes not yet handed to the
 * flusher and the Micrometer meters, created once and kept here so that recording never looks a
 * meter up by name. Thread-safe.
 */
final class EndpointSeries {
    static final String REQUESTS = "atelier.endpoint.requests";
    static final String LATENCY = "atelier.endpoint.latency";
    static final String REQUEST_SIZE = "atelier.endpoint.request.size";
    static final String RESPONSE_SIZE = "atelier.endpoint.response.size";

    private final EndpointMonitor.SeriesKey key;
    private final MeterRegistry registry;
    private final Tags tags;
    /** Minute number (epoch minutes) to its running totals. */
    private final Map<Long, MinuteAggregate> minutes = new ConcurrentHashMap<>();
    /** Request counters by status class: index 1 for 1xx ... 5xx; 0 for anything else. Created on first use. */
    private final AtomicReferenceArray<Counter> requestsByClass = new AtomicReferenceArray<>(6);
    private final Timer latency;
    private final DistributionSummary requestSize;
    private final DistributionSummary responseSize;

    EndpointSeries(EndpointMonitor.SeriesKey key, MeterRegistry registry) {
        this.key = requireNonNull(key, "key is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.tags = Tags.of("workspace", key.workspace(), "endpoint", key.endpoint(), "deployment", key.deployment());
        this.latency = Timer.builder(LATENCY).description("Scoring request latency by endpoint and deployment").tags(tags)
                .serviceLevelObjectives(dev.atelier.server.http.HttpServer.LATENCY_BUCKETS).register(registry);
        this.requestSize = DistributionSummary.builder(REQUEST_SIZE).description("Scoring request body sizes").baseUnit("bytes")
                .tags(tags).register(registry);
        this.responseSize = DistributionSummary.builder(RESPONSE_SIZE).description("Scoring response body sizes")
                .baseUnit("bytes").tags(tags).register(registry);
    }

    EndpointMonitor.SeriesKey key() {
        return key;
    }

    void record(ScoringRecord record) {
        Long minute = Math.floorDiv(record.epochMillis(), 60_000L);
        MinuteAggregate aggregate = minutes.get(minute);
        if (aggregate == null) {
            aggregate = minutes.computeIfAbsent(minute, number -> new MinuteAggregate(number * 60_000L));
        }
        aggregate.add(record);
        requestCounter(record.status()).increment();
        latency.record(Math.max(0, record.latencyNanos()), TimeUnit.NANOSECONDS);
        requestSize.record(Math.max(0, record.requestBytes()));
        responseSize.record(Math.max(0, record.responseBytes()));
    }

    private Counter requestCounter(int status) {
        int statusClass = status >= 100 && status < 600 ? status / 100 : 0;
        Counter counter = requestsByClass.get(statusClass);
        if (counter == null) {
            counter = Counter.builder(REQUESTS).description("Scoring requests by endpoint, deployment and status class")
                    .tags(tags).tag("status", statusClass == 0 ? "other" : statusClass + "xx").register(registry);
            requestsByClass.set(statusClass, counter);
        }
        return counter;
    }

    /** Removes and returns the minutes that started before {@code minuteStart} (epoch milliseconds). */
    List<MinuteAggregate> retireBefore(long minuteStart) {
        List<MinuteAggregate> retired = new ArrayList<>();
        Iterator<Map.Entry<Long, MinuteAggregate>> entries = minutes.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<Long, MinuteAggregate> entry = entries.next();
            if (entry.getKey() * 60_000L < minuteStart) {
                retired.add(entry.getValue());
                entries.remove();
            }
        }
        return retired;
    }

    /** What the minutes still live hold now (they may still grow). */
    List<MinuteMetrics> snapshotLive() {
        return minutes.values().stream().map(this::snapshot).toList();
    }

    MinuteMetrics snapshot(MinuteAggregate aggregate) {
        return aggregate.snapshot(key.workspace(), key.endpoint(), key.deployment());
    }

    /** Takes this series' meters off {@code /metrics} (the endpoint or its workspace was deleted). */
    void removeMeters() {
        List<Meter> meters = new ArrayList<>(List.of(latency, requestSize, responseSize));
        for (int i = 0; i < requestsByClass.length(); i++) {
            if (requestsByClass.get(i) != null) {
                meters.add(requestsByClass.get(i));
            }
        }
        meters.forEach(registry::remove);
    }
}
