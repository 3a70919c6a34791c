package dev.atelier.workers.automl;

import java.util.List;
import java.util.Random;

import static java.util.Objects.requireNonNull;

/**
 * One dimension of a learner's search space. Each maps its values to [0, 1] ({@link #encode}) so that the search's
 * surrogate measures distances between configurations; ranges marked {@code log} are searched on a log scale.
 * Immutable.
 */
public sealed interface Hyperparameter {
    String name();

    /** A value drawn uniformly (on the log scale for log ranges). */
    Object sample(Random random);

    /** The value's position in [0, 1]. */
    double encode(Object value);

    /** The value at position {@code x} of [0, 1] (clamped). */
    Object decode(double x);

    /** Whole numbers from {@code low} to {@code high} inclusive. */
    record Integers(String name, int low, int high, boolean log) implements Hyperparameter {
        public Integers {
            requireNonNull(name, "name is null");
        }

        @Override
        public Object sample(Random random) {
            return decode(random.nextDouble());
        }

        @Override
        public double encode(Object value) {
            double v = ((Number) value).doubleValue();
            return log ? (Math.log(v) - Math.log(low)) / (Math.log(high) - Math.log(low)) : (v - low) / (double) (high - low);
        }

        @Override
        public Object decode(double x) {
            double clamped = Math.max(0, Math.min(1, x));
            double v = log ? Math.exp(Math.log(low) + clamped * (Math.log(high) - Math.log(low))) : low + clamped * (high - low);
            return (int) Math.max(low, Math.min(high, Math.round(v)));
        }
    }

    /** Real numbers from {@code low} to {@code high}. */
    record Reals(String name, double low, double high, boolean log) implements Hyperparameter {
        public Reals {
            requireNonNull(name, "name is null");
        }

        @Override
        public Object sample(Random random) {
            return decode(random.nextDouble());
        }

        @Override
        public double encode(Object value) {
            double v = ((Number) value).doubleValue();
            return log ? (Math.log(v) - Math.log(low)) / (Math.log(high) - Math.log(low)) : (v - low) / (high - low);
        }

        @Override
        public Object decode(double x) {
            double clamped = Math.max(0, Math.min(1, x));
            double v = log ? Math.exp(Math.log(low) + clamped * (Math.log(high) - Math.log(low))) : low + clamped * (high - low);
            return Math.round(v * 1e6) / 1e6;
        }
    }

    /** One of a few words. */
    record Choice(String name, List<String> values) implements Hyperparameter {
        public Choice {
            requireNonNull(name, "name is null");
            values = List.copyOf(values);
        }

        @Override
        public Object sample(Random random) {
            return values.get(random.nextInt(values.size()));
        }

        @Override
        public double encode(Object value) {
            return values.size() == 1 ? 0 : values.indexOf(value) / (double) (values.size() - 1);
        }

        @Override
        public Object decode(double x) {
            return values.get((int) Math.round(Math.max(0, Math.min(1, x)) * (values.size() - 1)));
        }
    }
}
