package dev.atelier.workers.automl;

import dev.atelier.server.models.automl.Member;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Runs one trial: fits the learner on each split's training rows and predicts its test rows, then computes the
 * metrics over all evaluated rows. Between splits it asks {@code stopEarly(split, mean primary metric so far)} and
 * checks the trial's deadline. Never throws for a learner's failure: that is a Failed trial. Thread-safe (no state).
 */
final class TrialRunner {
    private TrialRunner() {
    }

    /**
     * @param stopEarly asked after every split but the last with the split's index and the mean primary metric so far;
     *                  true ends the trial EarlyTerminated
     */
    static Trial run(Problem problem, int index, String name, String runId, Algorithm algorithm, Map<String, Object> config,
                     long seed, int threads, long deadline, BiPredicate<Integer, Double> stopEarly) {
        long started = System.nanoTime();
        int[] evaluated = problem.splits().evaluated();
        Map<Integer, Integer> position = new java.util.HashMap<>();
        for (int i = 0; i < evaluated.length; i++) {
            position.put(evaluated[i], i);
        }
        double[][] predictions = new double[evaluated.length][];
        List<Double> foldScores = new ArrayList<>();
        List<Splits.Split> splits = problem.splits().splits();
        try {
            for (int s = 0; s < splits.size(); s++) {
                Splits.Split split = splits.get(s);
                Member member = Fitting.fit(algorithm, config, problem.task(), problem.data(split.train()), seed, threads, deadline);
                double[][] predicted;
                try {
                    predicted = problem.predict(member, split.test());
                } finally {
                    member.learner().close();
                }
                for (int i = 0; i < split.test().length; i++) {
                    predictions[position.get(split.test()[i])] = predicted[i];
                }
                double[] truth = new double[split.test().length];
                for (int i = 0; i < truth.length; i++) {
                    truth[i] = problem.targets()[split.test()[i]];
                }
                foldScores.add(problem.primary().compute(truth, predicted, problem.classes(), problem.weights(split.test())));
                double running = foldScores.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                if (s < splits.size() - 1) {
                    if (System.nanoTime() > deadline) {
                        throw new Fitting.DeadlinePassed();
                    }
                    if (stopEarly.test(s, running)) {
                        return new Trial(index, name, runId, algorithm, config, Trial.EARLY_TERMINATED, running,
                                Map.of(problem.primary().azureName(), running), null, foldScores, elapsed(started), null);
                    }
                }
            }
            long finished = System.nanoTime();
            if (finished > deadline) {
                throw new Fitting.DeadlinePassed(); // a trial still running at the deadline is canceled, even in its last step
            }
            Map<String, Double> metrics = new LinkedHashMap<>(problem.metrics(predictions));
            Double score = metrics.get(problem.primary().azureName());
            if (score == null) {
                return new Trial(index, name, runId, algorithm, config, Trial.FAILED, null, metrics, null, foldScores,
                        elapsed(started), "the primary metric is not defined on these predictions");
            }
            // its duration ends where it was last checked against the deadline: a Completed trial never ends after it
            return new Trial(index, name, runId, algorithm, config, Trial.COMPLETED, score, metrics, predictions, foldScores,
                    (finished - started) / 1_000_000, null);
        } catch (Fitting.DeadlinePassed e) {
            return new Trial(index, name, runId, algorithm, config, Trial.CANCELED, null, Map.of(), null, foldScores,
                    elapsed(started), e.getMessage());
        } catch (RuntimeException | OutOfMemoryError e) {
            return new Trial(index, name, runId, algorithm, config, Trial.FAILED, null, Map.of(), null, foldScores,
                    elapsed(started), String.valueOf(e));
        }
    }

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
