package dev.atelier.server.data;

import java.nio.charset.StandardCharsets;
import java.util.TreeSet;

/**
 * Estimates how many distinct values a column holds in fixed memory: a K-minimum-values sketch
 * (Bar-Yossef et al., "Counting distinct elements in a data stream", 2002). It keeps the
 * {@value #K} smallest 53-bit hashes seen; below {@value #K} distinct values the count is exact,
 * above it the estimate is {@code (K - 1) / kth-smallest} with a relative error around 6%.
 * Not thread-safe.
 */
final class DistinctSketch {
    static final int K = 256;

    private final TreeSet<Long> smallest = new TreeSet<>();

    void add(String value) {
        long hash = hash(value) >>> 11;
        if (smallest.size() < K) {
            smallest.add(hash);
        } else if (hash < smallest.last() && smallest.add(hash)) {
            smallest.pollLast();
        }
    }

    long estimate() {
        if (smallest.size() < K) {
            return smallest.size();
        }
        double kth = smallest.last() / (double) (1L << 53);
        return Math.round((K - 1) / kth);
    }

    /** FNV-1a over the UTF-8 bytes, then SplitMix64's finalizer to spread the bits. */
    private static long hash(String value) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x80) { // not ASCII: hash the UTF-8 bytes (ASCII characters are their own UTF-8 bytes)
                return hashUtf8(value);
            }
            hash ^= c;
            hash *= 0x100000001b3L;
        }
        return finish(hash);
    }

    private static long hashUtf8(String value) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return finish(hash);
    }

    private static long finish(long hash) {
        hash = (hash ^ (hash >>> 30)) * 0xbf58476d1ce4e5b9L;
        hash = (hash ^ (hash >>> 27)) * 0x94d049bb133111ebL;
        return hash ^ (hash >>> 31);
    }
}
