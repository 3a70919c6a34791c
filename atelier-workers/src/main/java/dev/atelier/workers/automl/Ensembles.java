package dev.atelier.workers.automl;

import dev.atelier.server.models.automl.Combination;
import dev.atelier.server.models.automl.Member;
import dev.atelier.server.models.automl.Task;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Ensembles over the best completed trials, from their predictions of the evaluated rows (out of fold for
 * cross-validation): a vote ensemble by greedy ensemble selection with replacement (Caruana et al. 2004: start from
 * the best trial, then {@link #SELECTION_ROUNDS} times add the trial that most improves the averaged prediction; the
 * weights count the picks) and a stack ensemble (a logistic-regression or elastic-net meta-learner over the trials'
 * predictions, scored by 5-fold cross-validation over those rows). Stateless.
 */
final class Ensembles {
    static final int MEMBERS = 5;
    static final int SELECTION_ROUNDS = 15;

    private Ensembles() {
    }

    /** An ensemble of trials. */
    sealed interface Built permits Vote, Stack {
        List<Trial> members();

        double[][] predictions();

        /** Azure's name: VotingEnsemble or StackEnsemble. */
        String kind();
    }

    /** A vote ensemble: trials and their weights, with its score on the evaluated rows. */
    record Vote(List<Trial> members, List<Double> weights, double[][] predictions, double score) implements Built {
        @Override
        public String kind() {
            return "VotingEnsemble";
        }
    }

    /** A stack ensemble: the trials and the meta-learner fitted on all their predictions. */
    record Stack(List<Trial> members, Member meta, double[][] predictions, double score) implements Built {
        @Override
        public String kind() {
            return "StackEnsemble";
        }
    }

    /** The best completed trials, at most {@link #MEMBERS}, best first. */
    static List<Trial> candidates(List<Trial> trials, Metric primary) {
        return trials.stream().filter(Trial::completed)
                .sorted(Comparator.comparingDouble((Trial t) -> primary.toScore(t.score())).reversed().thenComparingInt(Trial::index))
                .limit(MEMBERS).toList();
    }

    static Vote vote(Problem problem, List<Trial> candidates) {
        double[] truth = problem.evaluatedTargets();
        double[] rowWeights = problem.evaluatedWeights();
        int rows = truth.length;
        int width = candidates.get(0).predictions()[0].length;
        int[] picks = new int[candidates.size()];
        double[][] sum = new double[rows][width];
        int count = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int round = 0; round < SELECTION_ROUNDS; round++) {
            int chosen = -1;
            double chosenScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < candidates.size(); c++) {
                double score = problem.primary().toScore(problem.primary().compute(truth, mean(sum, candidates.get(c).predictions(), count), problem.classes(), rowWeights));
                if (score > chosenScore) {
                    chosenScore = score;
                    chosen = c;
                }
            }
            if (round > 0 && chosenScore < bestScore - 1e-12) {
                break;
            }
            bestScore = Math.max(bestScore, chosenScore);
            picks[chosen]++;
            double[][] added = candidates.get(chosen).predictions();
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < width; j++) {
                    sum[i][j] += added[i][j];
                }
            }
            count++;
        }
        List<Trial> members = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (int c = 0; c < candidates.size(); c++) {
            if (picks[c] > 0) {
                members.add(candidates.get(c));
                weights.add((double) picks[c] / count);
            }
        }
        double[][] predictions = new double[rows][width];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < width; j++) {
                predictions[i][j] = sum[i][j] / count;
            }
        }
        return new Vote(members, weights, predictions, problem.primary().compute(truth, predictions, problem.classes(), rowWeights));
    }

    /** The mean of {@code count} summed predictions and one more. */
    private static double[][] mean(double[][] sum, double[][] more, int count) {
        double[][] mean = new double[sum.length][];
        for (int i = 0; i < sum.length; i++) {
            mean[i] = new double[sum[i].length];
            for (int j = 0; j < sum[i].length; j++) {
                mean[i][j] = (sum[i][j] + more[i][j]) / (count + 1);
            }
        }
        return mean;
    }

    static Stack stack(Problem problem, List<Trial> members, long seed, int threads, long deadline) {
        Task task = problem.task();
        double[][] metaFeatures = Combination.Stacked.metaFeatures(members.stream().map(Trial::predictions).toList(), task);
        double[] truth = problem.evaluatedTargets();
        Algorithm metaAlgorithm = task == Task.CLASSIFICATION ? Algorithm.LOGISTIC_REGRESSION : Algorithm.ELASTIC_NET;
        Map<String, Object> config = metaAlgorithm.defaults(metaFeatures[0].length);
        Problem meta = new Problem(task, problem.primary(), metaFeatures, truth, problem.evaluatedWeights(), problem.classes(),
                Splits.of(truth.length, Math.min(5, truth.length), null, task == Task.CLASSIFICATION ? truth : null, seed));
        Trial scored = TrialRunner.run(meta, -1, "StackEnsemble", null, metaAlgorithm, config, seed, threads, deadline, (s, r) -> false);
        if (!scored.completed()) {
            return null;
        }
        Member fitted = Fitting.fit(metaAlgorithm, config, task, meta.data(meta.trainingRows()), seed, threads, deadline);
        double[][] predictions = new double[truth.length][];
        int[] evaluated = meta.splits().evaluated();
        for (int i = 0; i < evaluated.length; i++) {
            predictions[evaluated[i]] = scored.predictions()[i];
        }
        return new Stack(members, fitted, predictions, scored.score());
    }
}
