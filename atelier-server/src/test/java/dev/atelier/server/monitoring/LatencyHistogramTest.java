package dev.atelier.server.monitoring;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyHistogramTest {
    @Test
    void bucketsAreLogScaleWithFourPerDoubling() {
        assertThat(LatencyHistogram.bucketOf(0)).isZero();
        assertThat(LatencyHistogram.bucketOf(999)).isZero();
        assertThat(LatencyHistogram.bucketOf(1_000)).isEqualTo(1);
        assertThat(LatencyHistogram.bucketOf(2_000)).isEqualTo(5);
        assertThat(LatencyHistogram.bucketOf(1_999)).isEqualTo(4);
        assertThat(LatencyHistogram.bucketOf(4_000)).isEqualTo(9);
        assertThat(LatencyHistogram.bucketOf(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
    }

    @Test
    void percentilesAreWithinTenPercentOfTheExactValues() {
        Random random = new Random(7);
        long[] latencies = new long[20_000];
        long[] counts = new long[LatencyHistogram.BUCKETS];
        for (int i = 0; i < latencies.length; i++) {
            latencies[i] = (long) (Math.exp(random.nextGaussian() * 1.2 + Math.log(2_000_000)));  // around 2 ms, long tail
            counts[LatencyHistogram.bucketOf(latencies[i])]++;
        }
        Arrays.sort(latencies);
        LatencyHistogram histogram = LatencyHistogram.of(counts);
        for (double q : new double[] {0.5, 0.9, 0.99}) {
            double exact = latencies[(int) Math.ceil(q * latencies.length) - 1];
            assertThat(histogram.percentileNanos(q)).as("p" + q).isCloseTo(exact, within(exact * 0.1));
        }
    }

    @Test
    void mergingAddsCountsSoPercentilesOfTheUnionAreExactToTheBucket() {
        long[] fast = new long[LatencyHistogram.BUCKETS];
        long[] slow = new long[LatencyHistogram.BUCKETS];
        fast[LatencyHistogram.bucketOf(1_000_000)] = 90;  // 90 requests at 1 ms
        slow[LatencyHistogram.bucketOf(100_000_000)] = 10;  // 10 at 100 ms
        LatencyHistogram merged = LatencyHistogram.of(fast).merge(LatencyHistogram.of(slow));
        assertThat(merged.count()).isEqualTo(100);
        assertThat(merged.percentileNanos(0.5)).isCloseTo(1_000_000, within(200_000.0));
        assertThat(merged.percentileNanos(0.9)).isCloseTo(1_000_000, within(200_000.0));
        assertThat(merged.percentileNanos(0.99)).isCloseTo(100_000_000, within(20_000_000.0));
    }

    @Test
    void encodingKeepsOnlyUsedBucketsAndRoundTrips() {
        long[] counts = new long[LatencyHistogram.BUCKETS];
        counts[3] = 5;
        counts[40] = 1;
        LatencyHistogram histogram = LatencyHistogram.of(counts);
        assertThat(histogram.encode()).isEqualTo("3:5,40:1");
        assertThat(LatencyHistogram.decode(histogram.encode())).isEqualTo(histogram);
        assertThat(LatencyHistogram.decode("")).isEqualTo(LatencyHistogram.empty());
        assertThat(LatencyHistogram.empty().percentileNanos(0.99)).isZero();
    }
}
