package dev.atelier.server.tracking;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Picks the steps get-history-bulk-interval returns: at most {@code maxResults} steps spread evenly
 * over the steps a metric has, always including the first and the last, so a chart of a long
 * history keeps its shape.
 */
final class MetricSampler {
    private MetricSampler() {
    }

    static List<Long> sampleSteps(List<Long> steps, int maxResults) {
        if (steps.size() <= maxResults) {
            return steps;
        }
        TreeSet<Long> chosen = new TreeSet<>();
        double stride = (double) (steps.size() - 1) / (maxResults - 1);
        for (int i = 0; i < maxResults; i++) {
            chosen.add(steps.get((int) Math.round(i * stride)));
        }
        chosen.add(steps.get(0));
        chosen.add(steps.get(steps.size() - 1));
        return new ArrayList<>(chosen);
    }
}
