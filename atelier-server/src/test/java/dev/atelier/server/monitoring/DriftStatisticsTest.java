package dev.atelier.server.monitoring;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.DoubleStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DriftStatisticsTest {
    @Test
    void chiSquareSurvivalMatchesTables() {
        assertThat(DriftStatistics.chiSquareSurvival(3.841459, 1)).isCloseTo(0.05, within(1e-6));
        assertThat(DriftStatistics.chiSquareSurvival(18.307038, 10)).isCloseTo(0.05, within(1e-6));
        assertThat(DriftStatistics.chiSquareSurvival(2.0, 2)).isCloseTo(Math.exp(-1), within(1e-12));
        assertThat(DriftStatistics.chiSquareSurvival(0, 3)).isEqualTo(1.0);
        assertThat(DriftStatistics.logGamma(5)).isCloseTo(Math.log(24), within(1e-12));
    }

    @Test
    void kolmogorovSurvivalMatchesTheFivePercentCriticalValue() {
        assertThat(DriftStatistics.kolmogorovSurvival(1.3581)).isCloseTo(0.05, within(1e-3));
        assertThat(DriftStatistics.kolmogorovSurvival(0.1)).isEqualTo(1.0);
        assertThat(DriftStatistics.kolmogorovSurvival(3)).isLessThan(1e-6);
    }

    @Test
    void kolmogorovSmirnovStatisticIsTheLargestGapBetweenTheDistributionFunctions() {
        double[] a = {1, 2, 3, 4};
        double[] b = {3, 4, 5, 6};
        assertThat(DriftStatistics.kolmogorovSmirnov(a, b).statistic()).isEqualTo(0.5);
        assertThat(DriftStatistics.kolmogorovSmirnov(a, a).statistic()).isZero();
        assertThat(DriftStatistics.kolmogorovSmirnov(a, a).pValue()).isEqualTo(1.0);
    }

    @Test
    void psiIsZeroForTheSameSampleAndLargeForAShiftedOne() {
        Random random = new Random(3);
        double[] reference = DoubleStream.generate(random::nextGaussian).limit(5_000).sorted().toArray();
        double[] same = DoubleStream.generate(random::nextGaussian).limit(2_000).sorted().toArray();
        double[] shifted = DoubleStream.generate(() -> random.nextGaussian() + 1).limit(2_000).sorted().toArray();
        assertThat(DriftStatistics.numericPsi(reference, reference)).isCloseTo(0, within(1e-12));
        assertThat(DriftStatistics.numericPsi(reference, same)).isLessThan(0.05);
        assertThat(DriftStatistics.numericPsi(reference, shifted)).isGreaterThan(0.5);
        assertThat(DriftStatistics.decileEdges(new double[] {1, 1, 1, 1, 2})).containsExactly(1, 2);
    }

    @Test
    void categoricalPsiAndChiSquareSeeAChangedMix() {
        List<String> reference = mix(700, 300, 0);
        List<String> same = mix(350, 150, 0);
        List<String> changed = mix(200, 200, 100);
        assertThat(DriftStatistics.categoricalPsi(reference, same)).isCloseTo(0, within(1e-12));
        assertThat(DriftStatistics.chiSquare(reference, same).pValue()).isCloseTo(1, within(1e-9));
        assertThat(DriftStatistics.categoricalPsi(reference, changed)).isGreaterThan(0.2);
        assertThat(DriftStatistics.chiSquare(reference, changed).pValue()).isLessThan(1e-6);
    }

    private static List<String> mix(int a, int b, int c) {
        List<String> values = new ArrayList<>();
        values.addAll(Collections.nCopies(a, "a"));
        values.addAll(Collections.nCopies(b, "b"));
        values.addAll(Collections.nCopies(c, "c"));
        return values;
    }
}
