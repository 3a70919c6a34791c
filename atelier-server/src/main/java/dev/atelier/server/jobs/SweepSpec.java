package dev.atelier.server.jobs;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The search of a sweep job.
 *
 * @param searchSpace     dimensions by name, sorted (sampling walks them in this order)
 * @param seed            random sampling's seed; empty for grid sampling
 */
public record SweepSpec(Map<String, Distribution> searchSpace, boolean grid, Optional<Long> seed, String primaryMetric,
                        boolean maximize, int maxTotalTrials, int maxConcurrentTrials, Optional<Long> timeoutSeconds,
                        Optional<Long> trialTimeoutSeconds, Optional<EarlyTermination> earlyTermination) {
    public SweepSpec {
        searchSpace = Collections.unmodifiableMap(new TreeMap<>(searchSpace));
        requireNonNull(seed, "seed is null");
        requireNonNull(primaryMetric, "primaryMetric is null");
        requireNonNull(timeoutSeconds, "timeoutSeconds is null");
        requireNonNull(trialTimeoutSeconds, "trialTimeoutSeconds is null");
        requireNonNull(earlyTermination, "earlyTermination is null");
    }

    /** An early termination policy, evaluated on the primary metric's reports (one per logged step). */
    public record EarlyTermination(Policy policy, int evaluationInterval, int delayEvaluation, double slackFactor, double slackAmount,
                                   int truncationPercentage) {
        public EarlyTermination {
            requireNonNull(policy, "policy is null");
        }
    }

    /** Azure ML's early termination policies. */
    public enum Policy {
        BANDIT("bandit"),
        MEDIAN_STOPPING("median_stopping"),
        TRUNCATION_SELECTION("truncation_selection");

        private final String wireName;

        Policy(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }
}
