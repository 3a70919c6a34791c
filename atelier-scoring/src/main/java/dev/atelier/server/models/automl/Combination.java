package dev.atelier.server.models.automl;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * How a pipeline's members make one prediction: a weighted mean of their outputs (one member with weight 1; or a vote
 * ensemble, the weights counting how often greedy ensemble selection picked each member) or a meta-learner over their
 * outputs (a stack ensemble). Thread-safe as its members are.
 */
public sealed interface Combination permits Combination.Weighted, Combination.Stacked {
    List<Member> members();

    /** Probabilities {@code [rows][classes]} or numbers {@code [rows][1]}. */
    double[][] predict(double[][] features, Task task);

    /** The weighted mean of the members' outputs; weights are normalised to sum to 1. */
    record Weighted(List<Member> members, List<Double> weights) implements Combination {
        public Weighted {
            members = List.copyOf(members);
            weights = List.copyOf(weights);
            if (members.isEmpty() || members.size() != weights.size()) {
                throw new IllegalArgumentException("a weighted combination needs one weight per member");
            }
        }

        /** One member alone. */
        public static Weighted single(Member member) {
            return new Weighted(List.of(member), List.of(1.0));
        }

        @Override
        public double[][] predict(double[][] features, Task task) {
            double total = weights.stream().mapToDouble(Double::doubleValue).sum();
            double[][] sum = null;
            for (int m = 0; m < members.size(); m++) {
                double[][] output = members.get(m).predict(features);
                double weight = weights.get(m) / total;
                if (sum == null) {
                    sum = new double[output.length][output.length == 0 ? 0 : output[0].length];
                }
                for (int i = 0; i < output.length; i++) {
                    for (int j = 0; j < output[i].length; j++) {
                        sum[i][j] += weight * output[i][j];
                    }
                }
            }
            return sum;
        }
    }

    /** A meta-learner fitted on the members' out-of-fold outputs ({@link #metaFeatures}). */
    record Stacked(List<Member> members, Member meta) implements Combination {
        public Stacked {
            members = List.copyOf(members);
            requireNonNull(meta, "meta is null");
        }

        @Override
        public double[][] predict(double[][] features, Task task) {
            return meta.predict(metaFeatures(members.stream().map(member -> member.predict(features)).toList(), task));
        }

        /**
         * The meta-learner's features from the members' outputs: each member's numbers, or its probabilities of every
         * class but the first (they sum to 1, so the first says nothing more).
         */
        public static double[][] metaFeatures(List<double[][]> outputs, Task task) {
            int rows = outputs.get(0).length;
            int skip = task == Task.CLASSIFICATION ? 1 : 0;
            int width = outputs.stream().mapToInt(output -> output.length == 0 ? 0 : output[0].length - skip).sum();
            double[][] features = new double[rows][width];
            for (int i = 0; i < rows; i++) {
                int offset = 0;
                for (double[][] output : outputs) {
                    int count = output[i].length - skip;
                    System.arraycopy(output[i], skip, features[i], offset, count);
                    offset += count;
                }
            }
            return features;
        }
    }
}
