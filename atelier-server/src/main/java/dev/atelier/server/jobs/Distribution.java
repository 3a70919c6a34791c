package dev.atelier.server.jobs;

import java.util.List;
import java.util.Random;

/**
 * A search-space dimension, as Azure ML's sweep jobs define them: {@code loguniform} and
 * {@code qloguniform} bounds are exponents ({@code exp(uniform(min, max))}); {@code randint} draws
 * from {@code [0, upper)}. Samples are rendered as the text bound into the trial's command.
 */
public sealed interface Distribution {
    String sample(Random random);

    record Choice(List<String> values) implements Distribution {
        public Choice {
            values = List.copyOf(values);
        }

        @Override
        public String sample(Random random) {
            return values.get(random.nextInt(values.size()));
        }
    }

    record RandInt(int upper) implements Distribution {
        @Override
        public String sample(Random random) {
            return Integer.toString(random.nextInt(upper));
        }
    }

    record Uniform(double min, double max) implements Distribution {
        @Override
        public String sample(Random random) {
            return number(min + random.nextDouble() * (max - min));
        }
    }

    record LogUniform(double min, double max) implements Distribution {
        @Override
        public String sample(Random random) {
            return number(Math.exp(min + random.nextDouble() * (max - min)));
        }
    }

    record QUniform(double min, double max, double q) implements Distribution {
        @Override
        public String sample(Random random) {
            return number(Math.round((min + random.nextDouble() * (max - min)) / q) * q);
        }
    }

    record QLogUniform(double min, double max, double q) implements Distribution {
        @Override
        public String sample(Random random) {
            return number(Math.round(Math.exp(min + random.nextDouble() * (max - min)) / q) * q);
        }
    }

    record Normal(double mu, double sigma) implements Distribution {
        @Override
        public String sample(Random random) {
            return number(mu + sigma * random.nextGaussian());
        }
    }

    record LogNormal(double mu, double sigma) implements Distribution {
        @Override
        public String sample(Random random) {
            return number(Math.exp(mu + sigma * random.nextGaussian()));
        }
    }

    /** Integral values without a fraction ({@code 32}, not {@code 32.0}); others in shortest round-trip form. */
    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
