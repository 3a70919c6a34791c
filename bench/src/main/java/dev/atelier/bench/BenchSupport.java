package dev.atelier.bench;

import java.util.List;

/** Small helpers the benchmarks share: percentiles, integer options, sleeping. Stateless. */
final class BenchSupport {
    private BenchSupport() {
    }

    /** The {@code percentile}-th percentile (nearest rank) of {@code values}, which must not be empty. */
    static long percentile(List<Long> values, int percentile) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1)));
    }

    /** The integer after {@code name} in {@code args}, or {@code fallback}. */
    static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
