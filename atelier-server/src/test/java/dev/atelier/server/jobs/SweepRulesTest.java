package dev.atelier.server.jobs;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Sampling and early termination decisions, on their own. */
class SweepRulesTest {
    private static SweepSpec sweep(boolean maximize, SweepSpec.EarlyTermination policy) {
        return new SweepSpec(Map.of("x", new Distribution.Choice(List.of("1", "2"))), true, Optional.empty(), "m", maximize, 10, 2,
                Optional.empty(), Optional.empty(), Optional.ofNullable(policy));
    }

    @Test
    void gridWalksTheProductLastDimensionFastestAndStopsAtTheLimit() {
        SweepSpec grid = new SweepSpec(Map.of("a", new Distribution.Choice(List.of("1", "2")),
                "b", new Distribution.Choice(List.of("x", "y", "z"))), true, Optional.empty(), "m", true, 4, 2,
                Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(SweepSampler.trialCount(grid)).isEqualTo(4);
        assertThat(SweepSampler.sample(grid, 0).orElseThrow()).containsExactly(Map.entry("a", "1"), Map.entry("b", "x"));
        assertThat(SweepSampler.sample(grid, 3).orElseThrow()).containsExactly(Map.entry("a", "2"), Map.entry("b", "x"));
        assertThat(SweepSampler.sample(grid, 4)).isEmpty();
    }

    @Test
    void randomSamplingIsDeterministicPerSeedAndIndexAndStaysInRange() {
        Map<String, Distribution> space = new LinkedHashMap<>();
        space.put("u", new Distribution.Uniform(2, 3));
        space.put("lu", new Distribution.LogUniform(-3, -1));
        space.put("q", new Distribution.QUniform(0, 100, 10));
        space.put("r", new Distribution.RandInt(5));
        space.put("n", new Distribution.Normal(0, 1));
        space.put("ln", new Distribution.LogNormal(0, 1));
        space.put("ql", new Distribution.QLogUniform(0, 3, 1));
        SweepSpec random = new SweepSpec(space, false, Optional.of(99L), "m", true, 50, 2, Optional.empty(), Optional.empty(),
                Optional.empty());
        for (int i = 0; i < 50; i++) {
            Map<String, String> values = SweepSampler.sample(random, i).orElseThrow();
            assertThat(values).isEqualTo(SweepSampler.sample(random, i).orElseThrow());
            assertThat(Double.parseDouble(values.get("u"))).isBetween(2.0, 3.0);
            assertThat(Double.parseDouble(values.get("lu"))).isBetween(Math.exp(-3), Math.exp(-1));
            assertThat(Double.parseDouble(values.get("q")) % 10).isZero();
            assertThat(Integer.parseInt(values.get("r"))).isBetween(0, 4);
            assertThat(Double.parseDouble(values.get("ln"))).isPositive();
            assertThat(values.get("ql")).doesNotContain(".");
        }
        assertThat(SweepSampler.sample(random, 0)).isNotEqualTo(SweepSampler.sample(random, 1));
        assertThat(new Distribution.Choice(List.of("a")).sample(new Random(1))).isEqualTo("a");
    }

    @Test
    void banditStopsOutsideTheSlackAndRespectsDelayAndInterval() {
        SweepSpec.EarlyTermination bandit = new SweepSpec.EarlyTermination(SweepSpec.Policy.BANDIT, 1, 0, 0.1, 0, 0);
        Map<String, List<Double>> reports = Map.of("best", List.of(0.9, 0.95), "bad", List.of(0.5, 0.6), "close", List.of(0.85, 0.9));
        assertThat(EarlyTerminationRule.evaluate(sweep(true, bandit), "bad", reports)).isPresent();
        assertThat(EarlyTerminationRule.evaluate(sweep(true, bandit), "close", reports)).isEmpty();
        SweepSpec.EarlyTermination delayed = new SweepSpec.EarlyTermination(SweepSpec.Policy.BANDIT, 1, 2, 0.1, 0, 0);
        assertThat(EarlyTerminationRule.evaluate(sweep(true, delayed), "bad", reports)).isEmpty();
        SweepSpec.EarlyTermination everyThird = new SweepSpec.EarlyTermination(SweepSpec.Policy.BANDIT, 3, 0, 0.1, 0, 0);
        assertThat(EarlyTerminationRule.evaluate(sweep(true, everyThird), "bad", reports)).isEmpty();
        SweepSpec.EarlyTermination amount = new SweepSpec.EarlyTermination(SweepSpec.Policy.BANDIT, 1, 0, 0, 0.2, 0);
        Map<String, List<Double>> losses = Map.of("best", List.of(1.0), "bad", List.of(1.5), "ok", List.of(1.1));
        assertThat(EarlyTerminationRule.evaluate(sweep(false, amount), "bad", losses)).isPresent();
        assertThat(EarlyTerminationRule.evaluate(sweep(false, amount), "ok", losses)).isEmpty();
    }

    @Test
    void medianStoppingComparesTheBestSoFarWithTheMedianOfRunningAverages() {
        SweepSpec.EarlyTermination median = new SweepSpec.EarlyTermination(SweepSpec.Policy.MEDIAN_STOPPING, 1, 0, 0, 0, 0);
        Map<String, List<Double>> reports = Map.of("a", List.of(0.8, 0.9), "b", List.of(0.7, 0.8), "c", List.of(0.2, 0.3),
                "d", List.of(0.75, 0.76));
        assertThat(EarlyTerminationRule.evaluate(sweep(true, median), "c", reports)).get().asString().contains("median_stopping");
        assertThat(EarlyTerminationRule.evaluate(sweep(true, median), "a", reports)).isEmpty();
        assertThat(EarlyTerminationRule.evaluate(sweep(true, median), "alone", Map.of("alone", List.of(0.1)))).isEmpty();
    }

    @Test
    void truncationSelectionStopsTheWorstPercent() {
        SweepSpec.EarlyTermination truncation = new SweepSpec.EarlyTermination(SweepSpec.Policy.TRUNCATION_SELECTION, 1, 0, 0, 0, 25);
        Map<String, List<Double>> reports = Map.of("a", List.of(0.9), "b", List.of(0.8), "c", List.of(0.7), "d", List.of(0.1));
        assertThat(EarlyTerminationRule.evaluate(sweep(true, truncation), "d", reports)).isPresent();
        assertThat(EarlyTerminationRule.evaluate(sweep(true, truncation), "c", reports)).isEmpty();
        assertThat(EarlyTerminationRule.evaluate(sweep(false, truncation), "a", reports)).isPresent();
        Map<String, List<Double>> few = Map.of("a", List.of(0.9), "b", List.of(0.1));
        assertThat(EarlyTerminationRule.evaluate(sweep(true, truncation), "b", few)).isEmpty();
    }

    @Test
    void noPolicyNeverStops() {
        assertThat(EarlyTerminationRule.evaluate(sweep(true, null), "a", Map.of("a", List.of(0.0), "b", List.of(1.0)))).isEmpty();
    }
}
