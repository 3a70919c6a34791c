package dev.atelier.server.monitoring;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The statistics of a drift report: the population stability index (PSI) over 10 quantile bins of
 * the reference (numbers) or over categories (strings), the two-sample Kolmogorov–Smirnov test
 * (numbers) and Pearson's chi-square test of homogeneity (categories). Written here rather than taken
 * from a statistics library: the four functions below are all a report needs, and the p-values follow
 * the standard formulas (Kolmogorov's limiting distribution with Stephens' small-sample correction, as
 * in Numerical Recipes' {@code probks}; the chi-square survival function as the regularized upper
 * incomplete gamma function {@code Q(k/2, x/2)}). Thread-safe (no state).
 */
final class DriftStatistics {
    /** Bins and categories holding no values count as this share, so that the PSI stays finite. */
    static final double EMPTY_SHARE = 1e-4;
    static final int QUANTILE_BINS = 10;

    private DriftStatistics() {
    }

    /**
     * The PSI of {@code current} against {@code reference}, binned at the reference's deciles (ties merge
     * bins): {@code Σ (c - r) ln(c / r)} over the bins' shares.
     */
    static double numericPsi(double[] sortedReference, double[] sortedCurrent) {
        double[] edges = decileEdges(sortedReference);
        return psi(binCounts(sortedReference, edges), sortedReference.length, binCounts(sortedCurrent, edges), sortedCurrent.length);
    }

    /** The distinct upper edges of the first nine decile bins; the last bin is open above. */
    static double[] decileEdges(double[] sorted) {
        return IntStream.rangeClosed(1, QUANTILE_BINS - 1)
                .mapToDouble(k -> sorted[Math.max(0, (int) Math.ceil(k * sorted.length / (double) QUANTILE_BINS) - 1)])
                .distinct().toArray();
    }

    /** Counts of values {@code ≤ edges[0]}, in {@code (edges[i-1], edges[i]]}, and above the last edge. */
    private static long[] binCounts(double[] sorted, double[] edges) {
        long[] counts = new long[edges.length + 1];
        for (double value : sorted) {
            int index = Arrays.binarySearch(edges, value);
            counts[index >= 0 ? index : -index - 1]++;
        }
        return counts;
    }

    /** The PSI over categories: each distinct value is a bin. */
    static double categoricalPsi(List<String> reference, List<String> current) {
        Map<String, long[]> counts = categoryCounts(reference, current);
        long[] ref = counts.values().stream().mapToLong(pair -> pair[0]).toArray();
        long[] cur = counts.values().stream().mapToLong(pair -> pair[1]).toArray();
        return psi(ref, reference.size(), cur, current.size());
    }

    private static double psi(long[] reference, long referenceTotal, long[] current, long currentTotal) {
        double sum = 0;
        for (int i = 0; i < reference.length; i++) {
            double r = Math.max(EMPTY_SHARE, reference[i] / (double) referenceTotal);
            double c = Math.max(EMPTY_SHARE, current[i] / (double) currentTotal);
            sum += (c - r) * Math.log(c / r);
        }
        return sum;
    }

    /** Category → {reference count, current count}. */
    private static Map<String, long[]> categoryCounts(List<String> reference, List<String> current) {
        Map<String, long[]> counts = new HashMap<>();
        reference.forEach(value -> counts.computeIfAbsent(value, key -> new long[2])[0]++);
        current.forEach(value -> counts.computeIfAbsent(value, key -> new long[2])[1]++);
        return counts;
    }

    /** A test's statistic and p-value. */
    record TestResult(double statistic, double pValue) {
    }

    /** The two-sample Kolmogorov–Smirnov statistic {@code D = sup |F_ref - F_cur|} and its asymptotic p-value. */
    static TestResult kolmogorovSmirnov(double[] sortedReference, double[] sortedCurrent) {
        int n = sortedReference.length;
        int m = sortedCurrent.length;
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < n && j < m) {
            double value = Math.min(sortedReference[i], sortedCurrent[j]);
            while (i < n && sortedReference[i] == value) {
                i++;
            }
            while (j < m && sortedCurrent[j] == value) {
                j++;
            }
            d = Math.max(d, Math.abs(i / (double) n - j / (double) m));
        }
        double effective = Math.sqrt(n * (double) m / (n + (double) m));
        return new TestResult(d, kolmogorovSurvival((effective + 0.12 + 0.11 / effective) * d));
    }

    /** {@code Q_KS(λ) = 2 Σ_{k≥1} (-1)^(k-1) exp(-2 k² λ²)}, 1 for small λ where the series converges slowly. */
    static double kolmogorovSurvival(double lambda) {
        if (lambda < 0.2) {
            return 1.0;
        }
        double sum = 0;
        double sign = 1;
        for (int k = 1; k <= 100; k++) {
            double term = sign * Math.exp(-2.0 * k * k * lambda * lambda);
            sum += term;
            if (Math.abs(term) < 1e-12 * Math.abs(sum)) {
                break;
            }
            sign = -sign;
        }
        return Math.min(1.0, Math.max(0.0, 2 * sum));
    }

    /** Pearson's chi-square test that both samples come from one categorical distribution (a 2×k table). */
    static TestResult chiSquare(List<String> reference, List<String> current) {
        Map<String, long[]> counts = categoryCounts(reference, current);
        double n = reference.size();
        double m = current.size();
        double total = n + m;
        double statistic = 0;
        for (long[] pair : counts.values()) {
            double column = pair[0] + pair[1];
            double expectedReference = column * n / total;
            double expectedCurrent = column * m / total;
            statistic += square(pair[0] - expectedReference) / expectedReference + square(pair[1] - expectedCurrent) / expectedCurrent;
        }
        int degrees = counts.size() - 1;
        return new TestResult(statistic, degrees < 1 ? 1.0 : chiSquareSurvival(statistic, degrees));
    }

    private static double square(double x) {
        return x * x;
    }

    /** {@code P(X ≥ x)} for a chi-square variable with {@code degrees} degrees of freedom. */
    static double chiSquareSurvival(double x, int degrees) {
        return x <= 0 ? 1.0 : upperRegularizedGamma(degrees / 2.0, x / 2.0);
    }

    /** {@code Q(a, x)}: by its series below {@code a + 1}, by Lentz's continued fraction above. */
    static double upperRegularizedGamma(double a, double x) {
        double logPrefix = -x + a * Math.log(x) - logGamma(a);
        if (x < a + 1) {
            double term = 1 / a;
            double sum = term;
            for (int n = 1; n < 1000 && Math.abs(term) > Math.abs(sum) * 1e-15; n++) {
                term *= x / (a + n);
                sum += term;
            }
            return Math.max(0, 1 - sum * Math.exp(logPrefix));
        }
        double tiny = 1e-300;
        double b = x + 1 - a;
        double c = 1 / tiny;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 1000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            d = Math.abs(d) < tiny ? tiny : d;
            c = b + an / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-15) {
                break;
            }
        }
        return Math.min(1, Math.exp(logPrefix) * h);
    }

    /** {@code ln Γ(x)} for {@code x > 0} by the Lanczos approximation (g = 7, 9 coefficients; ~15 digits). */
    static double logGamma(double x) {
        double[] coefficients = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double z = x - 1;
        double sum = coefficients[0];
        for (int i = 1; i < coefficients.length; i++) {
            sum += coefficients[i] / (z + i);
        }
        double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
