package dev.atelier.server.monitoring;

import static java.util.Objects.requireNonNull;

/**
 * The drift of one feature: its PSI and two-sample test, and whether either crossed its threshold
 * ({@link DriftService#PSI_THRESHOLD}, {@link DriftService#P_VALUE_THRESHOLD}).
 *
 * @param referenceCount values present in the reference (missing cells excluded)
 * @param currentCount   values present in the logged requests of the period
 */
public record FeatureDrift(String name, Kind kind, double psi, Test test, double statistic, double pValue, boolean drifted,
                           long referenceCount, long currentCount, long referenceMissing, long currentMissing) {
    public FeatureDrift {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(test, "test is null");
    }

    /** How a feature is compared: numbers (every present value in both samples is a number) or categories. */
    public enum Kind {
        NUMERIC("numeric"),
        CATEGORICAL("categorical");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        static Kind parse(String value) {
            return value.equals(NUMERIC.wireName) ? NUMERIC : CATEGORICAL;
        }
    }

    /** The two-sample test of a feature. */
    public enum Test {
        KOLMOGOROV_SMIRNOV("kolmogorov_smirnov"),
        CHI_SQUARE("chi_square");

        private final String wireName;

        Test(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        static Test parse(String value) {
            return value.equals(KOLMOGOROV_SMIRNOV.wireName) ? KOLMOGOROV_SMIRNOV : CHI_SQUARE;
        }
    }
}
