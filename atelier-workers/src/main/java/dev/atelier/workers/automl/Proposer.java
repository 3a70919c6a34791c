package dev.atelier.workers.automl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Chooses the next trials. First each learner with its default configuration; then, trial by trial, a learner drawn
 * with probability falling with the rank of its best score (1 / (rank + 1)^2), and a configuration chosen by a model
 * of that learner's results so far: among random configurations and perturbations of its best one, the one with the
 * highest kernel-regression estimate of the score plus an exploration bonus that shrinks where trials already are
 * (an upper confidence bound). Deterministic for a seed and a history. Not thread-safe: the search calls it from one
 * thread.
 */
final class Proposer {
    private static final int RANDOM_CANDIDATES = 48;
    private static final int LOCAL_CANDIDATES = 48;

    record Proposal(Algorithm algorithm, Map<String, Object> config) {
    }

    private final List<Algorithm> algorithms;
    private final Metric primary;
    private final int features;
    private final Random random;
    private final Deque<Algorithm> defaults;
    private final Set<String> tried = new HashSet<>();

    Proposer(List<Algorithm> algorithms, Metric primary, int features, long seed) {
        this.algorithms = List.copyOf(algorithms);
        this.primary = primary;
        this.features = features;
        this.random = new Random(seed);
        this.defaults = new ArrayDeque<>(algorithms);
    }

    /** The next proposal given the trials finished so far (in the order they were proposed). */
    Proposal next(List<Trial> history) {
        if (!defaults.isEmpty()) {
            Algorithm algorithm = defaults.poll();
            Map<String, Object> config = algorithm.defaults(features);
            tried.add(algorithm + config.toString());
            return new Proposal(algorithm, config);
        }
        Algorithm algorithm = pickAlgorithm(history);
        List<Trial> own = history.stream().filter(t -> t.algorithm() == algorithm && t.score() != null).toList();
        List<Hyperparameter> space = algorithm.space();
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (int i = 0; i < RANDOM_CANDIDATES; i++) {
            Map<String, Object> config = new LinkedHashMap<>();
            space.forEach(p -> config.put(p.name(), p.sample(random)));
            candidates.add(config);
        }
        Trial best = own.stream().filter(Trial::completed).max(Comparator.comparingDouble(t -> primary.toScore(t.score()))).orElse(null);
        if (best != null) {
            for (int i = 0; i < LOCAL_CANDIDATES; i++) {
                Map<String, Object> config = new LinkedHashMap<>();
                space.forEach(p -> config.put(p.name(), p.decode(p.encode(best.config().get(p.name())) + 0.12 * random.nextGaussian())));
                candidates.add(config);
            }
        }
        Map<String, Object> chosen = null;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (Map<String, Object> candidate : candidates) {
            if (tried.contains(algorithm + candidate.toString())) {
                continue;
            }
            double value = acquisition(space, own, candidate);
            if (value > bestValue) {
                bestValue = value;
                chosen = candidate;
            }
        }
        if (chosen == null) {
            chosen = candidates.get(0);
        }
        tried.add(algorithm + chosen.toString());
        return new Proposal(algorithm, chosen);
    }

    /** Learners ranked by their best score; a learner whose every trial failed is not drawn again. */
    private Algorithm pickAlgorithm(List<Trial> history) {
        Map<Algorithm, Double> best = new LinkedHashMap<>();
        for (Trial trial : history) {
            if (trial.algorithm() != null && trial.completed()) {
                best.merge(trial.algorithm(), primary.toScore(trial.score()), Math::max);
            }
        }
        List<Algorithm> ranked = best.entrySet().stream()
                .sorted(Map.Entry.<Algorithm, Double>comparingByValue().reversed().thenComparing(e -> e.getKey().ordinal()))
                .map(Map.Entry::getKey).toList();
        if (ranked.isEmpty()) {
            return algorithms.get(random.nextInt(algorithms.size()));
        }
        double[] weights = new double[ranked.size()];
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 1 / Math.pow(i + 1, 2);
            total += weights[i];
        }
        double draw = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            draw -= weights[i];
            if (draw <= 0) {
                return ranked.get(i);
            }
        }
        return ranked.get(ranked.size() - 1);
    }

    /** Kernel-weighted mean of standardised scores near {@code candidate}, plus a bonus of 1 / sqrt(1 + weight). */
    private double acquisition(List<Hyperparameter> space, List<Trial> own, Map<String, Object> candidate) {
        if (own.isEmpty()) {
            return 0;
        }
        double mean = own.stream().mapToDouble(t -> primary.toScore(t.score())).average().orElse(0);
        double deviation = Math.sqrt(own.stream().mapToDouble(t -> Math.pow(primary.toScore(t.score()) - mean, 2)).average().orElse(0));
        double scale = deviation > 1e-12 ? deviation : 1;
        double bandwidth = 0.25 * Math.sqrt(space.size());
        double weightSum = 0;
        double weighted = 0;
        for (Trial trial : own) {
            double distance = 0;
            for (Hyperparameter p : space) {
                double difference = p.encode(candidate.get(p.name())) - p.encode(trial.config().get(p.name()));
                distance += difference * difference;
            }
            double weight = Math.exp(-distance / (2 * bandwidth * bandwidth));
            weightSum += weight;
            weighted += weight * (primary.toScore(trial.score()) - mean) / scale;
        }
        double estimate = weightSum > 1e-12 ? weighted / (weightSum + 1) : 0;
        return estimate + 1 / Math.sqrt(1 + weightSum);
    }
}
