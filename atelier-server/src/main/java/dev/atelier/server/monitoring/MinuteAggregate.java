package dev.atelier.server.monitoring;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The running totals of one deployment's minute while requests still arrive. Thread-safe and
 * lock-free: concurrent {@link #add} calls touch striped adders and one histogram slot each.
 * {@link #snapshot} is exact once no {@code add} is running (the monitor snapshots a minute only
 * a flush cycle after it stopped handing it out).
 */
final class MinuteAggregate {
    private final long minuteStart;
    private final LongAdder requests = new LongAdder();
    private final LongAdder clientErrors = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();
    private final LongAdder latencySum = new LongAdder();
    private final AtomicLongArray latency = new AtomicLongArray(LatencyHistogram.BUCKETS);
    private final LongAdder requestBytes = new LongAdder();
    private final LongAccumulator requestBytesMax = new LongAccumulator(Math::max, 0);
    private final LongAdder responseBytes = new LongAdder();
    private final LongAccumulator responseBytesMax = new LongAccumulator(Math::max, 0);

    MinuteAggregate(long minuteStart) {
        this.minuteStart = minuteStart;
    }

    void add(ScoringRecord record) {
        requests.increment();
        if (record.status() >= 500) {
            serverErrors.increment();
        } else if (record.status() >= 400) {
            clientErrors.increment();
        }
        long nanos = Math.max(0, record.latencyNanos());
        latencySum.add(nanos);
        latency.incrementAndGet(LatencyHistogram.bucketOf(nanos));
        long in = Math.max(0, record.requestBytes());
        long out = Math.max(0, record.responseBytes());
        requestBytes.add(in);
        requestBytesMax.accumulate(in);
        responseBytes.add(out);
        responseBytesMax.accumulate(out);
    }

    MinuteMetrics snapshot(String workspace, String endpoint, String deployment) {
        long[] counts = new long[LatencyHistogram.BUCKETS];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = latency.get(i);
        }
        return new MinuteMetrics(workspace, endpoint, deployment, minuteStart, requests.sum(), clientErrors.sum(),
                serverErrors.sum(), latencySum.sum(), LatencyHistogram.of(counts), requestBytes.sum(), requestBytesMax.get(),
                responseBytes.sum(), responseBytesMax.get());
    }
}
