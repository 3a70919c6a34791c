package dev.atelier.server.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a running trial stops, from the primary metric's reports of every trial (one
 * report per logged value, in step order), as Azure ML's policies do:
 * <ul>
 *   <li>bandit: the trial's report at interval k is worse than the best report at k by more than
 *       the slack ({@code best / (1 + slack_factor)} or {@code best - slack_amount} when maximizing);</li>
 *   <li>median_stopping: the trial's best report so far is worse than the median of the other
 *       trials' running averages at k;</li>
 *   <li>truncation_selection: the trial's report at k is among the worst
 *       {@code truncation_percentage} percent of the reports at k.</li>
 * </ul>
 * Evaluated at intervals {@code k > delay_evaluation} with {@code k % evaluation_interval == 0}.
 */
final class EarlyTerminationRule {
    private EarlyTerminationRule() {
    }

    /** The reason to stop {@code trial}, or empty to let it run. */
    static Optional<String> evaluate(SweepSpec sweep, String trial, Map<String, List<Double>> reports) {
        if (sweep.earlyTermination().isEmpty()) {
            return Optional.empty();
        }
        SweepSpec.EarlyTermination policy = sweep.earlyTermination().get();
        List<Double> own = reports.getOrDefault(trial, List.of());
        int k = own.size();
        if (k == 0 || k <= policy.delayEvaluation() || k % policy.evaluationInterval() != 0) {
            return Optional.empty();
        }
        boolean maximize = sweep.maximize();
        double value = own.get(k - 1);
        List<Double> atK = new ArrayList<>();
        reports.values().stream().filter(series -> series.size() >= k).forEach(series -> atK.add(series.get(k - 1)));
        return switch (policy.policy()) {
            case BANDIT -> {
                double best = atK.stream().reduce(maximize ? Math::max : Math::min).orElse(value);
                double threshold = policy.slackFactor() > 0
                        ? (maximize ? best / (1 + policy.slackFactor()) : best * (1 + policy.slackFactor()))
                        : (maximize ? best - policy.slackAmount() : best + policy.slackAmount());
                boolean worse = maximize ? value < threshold : value > threshold;
                yield worse ? Optional.of("early termination (bandit): " + value + " at interval " + k + " is outside the slack of "
                        + "the best " + best) : Optional.empty();
            }
            case MEDIAN_STOPPING -> {
                List<Double> averages = new ArrayList<>();
                reports.forEach((name, series) -> {
                    if (!name.equals(trial) && series.size() >= k) {
                        averages.add(series.subList(0, k).stream().mapToDouble(Double::doubleValue).average().orElseThrow());
                    }
                });
                if (averages.isEmpty()) {
                    yield Optional.empty();
                }
                averages.sort(null);
                int n = averages.size();
                double median = n % 2 == 1 ? averages.get(n / 2) : (averages.get(n / 2 - 1) + averages.get(n / 2)) / 2;
                double bestSoFar = own.stream().reduce(maximize ? Math::max : Math::min).orElseThrow();
                boolean worse = maximize ? bestSoFar < median : bestSoFar > median;
                yield worse ? Optional.of("early termination (median_stopping): best " + bestSoFar + " is worse than the median "
                        + median + " of running averages at interval " + k) : Optional.empty();
            }
            case TRUNCATION_SELECTION -> {
                int cut = atK.size() * policy.truncationPercentage() / 100;
                if (cut < 1) {
                    yield Optional.empty();
                }
                atK.sort(maximize ? null : java.util.Comparator.reverseOrder());
                double threshold = atK.get(cut - 1);
                boolean worse = maximize ? value <= threshold : value >= threshold;
                yield worse ? Optional.of("early termination (truncation_selection): " + value + " is in the worst "
                        + policy.truncationPercentage() + "% at interval " + k) : Optional.empty();
            }
        };
    }
}
