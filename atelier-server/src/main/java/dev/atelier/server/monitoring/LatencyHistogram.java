package dev.atelier.server.monitoring;

import java.util.Arrays;

/**
 * Counts of latencies in fixed log-scale buckets, the same for every histogram, so that the
 * histograms of minutes, deployments and server replicas merge by adding counts and percentiles
 * are computed after merging. Bucket 0 holds latencies under 1 µs; bucket {@code i} holds
 * {@code [1 µs · 2^((i-1)/4), 1 µs · 2^(i/4))}, four buckets per doubling (each ~19 % wide, so a
 * percentile is within ~10 % of the exact value); the last bucket holds everything from ~18 minutes up.
 * Immutable; {@link #bucketOf} is what the hot path calls.
 */
public final class LatencyHistogram {
    /** Buckets per doubling of the latency. */
    private static final int PER_DOUBLING = 4;
    static final int BUCKETS = 2 + PER_DOUBLING * 30;
    /** Exclusive upper bound in nanoseconds of each bucket but the last. */
    private static final long[] UPPER = new long[BUCKETS - 1];

    static {
        for (int i = 0; i < UPPER.length; i++) {
            UPPER[i] = Math.round(1_000 * Math.pow(2, (double) i / PER_DOUBLING));
        }
    }

    private static final LatencyHistogram EMPTY = new LatencyHistogram(new long[BUCKETS]);

    private final long[] counts;

    private LatencyHistogram(long[] counts) {
        this.counts = counts;
    }

    public static LatencyHistogram empty() {
        return EMPTY;
    }

    /** A histogram of these per-bucket counts (copied); {@code counts.length} must be {@link #BUCKETS}. */
    static LatencyHistogram of(long[] counts) {
        if (counts.length != BUCKETS) {
            throw new IllegalArgumentException("expected " + BUCKETS + " buckets, got " + counts.length);
        }
        return new LatencyHistogram(counts.clone());
    }

    /** The bucket a latency falls in: a binary search over fixed bounds, no allocation. */
    static int bucketOf(long latencyNanos) {
        int index = Arrays.binarySearch(UPPER, latencyNanos);
        // An exact hit on an upper bound belongs to the next bucket; a miss gives the insertion point.
        return index >= 0 ? index + 1 : -index - 1;
    }

    public long count() {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        return total;
    }

    public LatencyHistogram merge(LatencyHistogram other) {
        long[] sum = counts.clone();
        for (int i = 0; i < BUCKETS; i++) {
            sum[i] += other.counts[i];
        }
        return new LatencyHistogram(sum);
    }

    /**
     * The latency at quantile {@code q} (0 to 1) in nanoseconds, interpolated linearly inside the bucket
     * holding it; 0 for an empty histogram.
     */
    public double percentileNanos(double q) {
        if (q < 0 || q > 1) {
            throw new IllegalArgumentException("quantile must be within [0, 1]: " + q);
        }
        long total = count();
        if (total == 0) {
            return 0;
        }
        double rank = Math.max(1, Math.ceil(q * total));
        long before = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (counts[i] > 0 && before + counts[i] >= rank) {
                double lower = i == 0 ? 0 : UPPER[i - 1];
                double upper = i < UPPER.length ? UPPER[i] : lower * Math.pow(2, 1.0 / PER_DOUBLING);
                return lower + (upper - lower) * (rank - before) / counts[i];
            }
            before += counts[i];
        }
        throw new IllegalStateException("rank " + rank + " beyond " + total);
    }

    /** Sparse text form {@code <bucket>:<count>,...} of the buckets that hold something, for the database. */
    public String encode() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < BUCKETS; i++) {
            if (counts[i] != 0) {
                if (!text.isEmpty()) {
                    text.append(',');
                }
                text.append(i).append(':').append(counts[i]);
            }
        }
        return text.toString();
    }

    /** Reads {@link #encode()}'s form; buckets beyond the last are added to it. */
    public static LatencyHistogram decode(String text) {
        long[] counts = new long[BUCKETS];
        if (!text.isEmpty()) {
            for (String entry : text.split(",")) {
                int colon = entry.indexOf(':');
                int bucket = Math.min(Integer.parseInt(entry.substring(0, colon)), BUCKETS - 1);
                counts[bucket] += Long.parseLong(entry.substring(colon + 1));
            }
        }
        return new LatencyHistogram(counts);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LatencyHistogram histogram && Arrays.equals(counts, histogram.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "LatencyHistogram[" + encode() + "]";
    }
}
