package dev.atelier.workers.table;

/**
 * Reading and writing the values of a table's fields. An empty field is a missing value; a number is written without a
 * fraction when it is integral ({@code 3}, not {@code 3.0}), else as Java's shortest exact text. Stateless.
 */
public final class Values {
    private Values() {
    }

    public static boolean missing(String value) {
        return value == null || value.isEmpty();
    }

    /** The number in {@code value}; NaN when missing; {@code null} when it is not a number. */
    public static Double parse(String value) {
        if (missing(value)) {
            return Double.NaN;
        }
        char first = value.charAt(0);
        if (!(first >= '0' && first <= '9') && first != '-' && first != '+' && first != '.') {
            return null;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The number in {@code value} (NaN when missing).
     *
     * @throws TableException naming the column and row when it is not a number
     */
    public static double number(String value, String column, long row) {
        Double parsed = parse(value);
        if (parsed == null) {
            throw new TableException("column '" + column + "' holds '" + value + "' in row " + row + ", which is not a number");
        }
        return parsed;
    }

    /** {@code value} as written in a table: empty for NaN, integral values without a fraction. */
    public static String format(double value) {
        if (Double.isNaN(value)) {
            return "";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
