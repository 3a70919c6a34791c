package dev.atelier.server.monitoring;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Compares one feature's reference cells with its logged cells: numerically (PSI over the reference's
 * deciles, Kolmogorov–Smirnov) when every present cell of both is a finite number, else as categories
 * (PSI over categories, chi-square). Missing cells are counted, not compared. Thread-safe (no state).
 */
final class FeatureComparison {
    private FeatureComparison() {
    }

    /** Empty when either side has no present cell. */
    static Optional<FeatureDrift> compare(String name, List<String> referenceCells, List<String> currentCells) {
        List<String> reference = referenceCells.stream().filter(Objects::nonNull).toList();
        List<String> current = currentCells.stream().filter(Objects::nonNull).toList();
        if (reference.isEmpty() || current.isEmpty()) {
            return Optional.empty();
        }
        long referenceMissing = referenceCells.size() - reference.size();
        long currentMissing = currentCells.size() - current.size();
        Optional<double[]> referenceNumbers = numbers(reference);
        Optional<double[]> currentNumbers = referenceNumbers.isPresent() ? numbers(current) : Optional.empty();
        if (referenceNumbers.isPresent() && currentNumbers.isPresent()) {
            double[] sortedReference = referenceNumbers.get();
            double[] sortedCurrent = currentNumbers.get();
            Arrays.sort(sortedReference);
            Arrays.sort(sortedCurrent);
            double psi = DriftStatistics.numericPsi(sortedReference, sortedCurrent);
            DriftStatistics.TestResult test = DriftStatistics.kolmogorovSmirnov(sortedReference, sortedCurrent);
            return Optional.of(new FeatureDrift(name, FeatureDrift.Kind.NUMERIC, psi, FeatureDrift.Test.KOLMOGOROV_SMIRNOV,
                    test.statistic(), test.pValue(), drifted(psi, test), reference.size(), current.size(), referenceMissing,
                    currentMissing));
        }
        double psi = DriftStatistics.categoricalPsi(reference, current);
        DriftStatistics.TestResult test = DriftStatistics.chiSquare(reference, current);
        return Optional.of(new FeatureDrift(name, FeatureDrift.Kind.CATEGORICAL, psi, FeatureDrift.Test.CHI_SQUARE, test.statistic(),
                test.pValue(), drifted(psi, test), reference.size(), current.size(), referenceMissing, currentMissing));
    }

    private static boolean drifted(double psi, DriftStatistics.TestResult test) {
        return psi > DriftService.PSI_THRESHOLD || test.pValue() < DriftService.P_VALUE_THRESHOLD;
    }

    /** The cells as numbers, or empty when one is not a finite number. */
    private static Optional<double[]> numbers(List<String> cells) {
        double[] numbers = new double[cells.size()];
        for (int i = 0; i < numbers.length; i++) {
            try {
                numbers[i] = Double.parseDouble(cells.get(i).trim());
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (!Double.isFinite(numbers[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(numbers);
    }
}
