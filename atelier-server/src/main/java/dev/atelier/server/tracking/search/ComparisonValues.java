package dev.atelier.server.tracking.search;

import dev.atelier.api.AtelierException;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

/** Checks shared by the run and experiment filters: value kinds and comparators, with MLflow's messages. */
final class ComparisonValues {
    private ComparisonValues() {
    }

    /**
     * The comparator {@code text} names, if it is one of {@code allowed}.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE otherwise, worded as MLflow words it
     */
    static ComparisonOperator operator(String text, Set<ComparisonOperator> allowed) {
        return ComparisonOperator.fromText(text)
                .filter(allowed::contains)
                .orElseThrow(() -> AtelierException.invalidParameter("Invalid comparator '" + text.toUpperCase(java.util.Locale.ROOT)
                        + "' not one of '" + ComparisonOperator.describe(allowed)));
    }

    /** A numeric literal as a double; {@code message} is followed by the value's text when it is not a number. */
    static double decimal(RawValue value, String message) {
        return number(value, message).doubleValue();
    }

    /** A numeric literal as a Long when integral and in range, else a Double (times may be compared to 1.5e12). */
    static Number number(RawValue value, String message) {
        if (!(value instanceof RawValue.NumberLiteral literal)) {
            throw AtelierException.invalidParameter(message + value.source());
        }
        BigDecimal decimal = new BigDecimal(literal.source());
        try {
            return decimal.longValueExact();
        } catch (ArithmeticException notIntegral) {
            return decimal.doubleValue();
        }
    }

    /**
     * The quoted string, or the quoted strings of a list when {@code listMessage} is null (lists
     * allowed); {@code message} is followed by the value's text when it is neither.
     */
    static List<String> texts(RawValue value, String message, String listMessage) {
        return switch (value) {
            case RawValue.QuotedText quoted -> List.of(quoted.text());
            case RawValue.TextList list -> {
                if (listMessage != null) {
                    throw AtelierException.invalidParameter(listMessage);
                }
                yield list.items();
            }
            case RawValue.BareWord word -> throw AtelierException.invalidParameter("Parameter value is either not quoted or "
                    + "unidentified quote types used for string value " + word.source() + ". Use either single or double quotes.");
            case RawValue.NumberLiteral number -> throw AtelierException.invalidParameter(message + number.source());
        };
    }

    /** The single quoted string of a comparison that takes no list. */
    static String text(RawValue value, String message) {
        return texts(value, message, message + value.source()).getFirst();
    }

    /**
     * IN and NOT IN need a list and only they take one.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE when operator and value do not fit
     */
    static void requireListOnlyWithIn(ComparisonOperator operator, RawValue value) {
        boolean isList = value instanceof RawValue.TextList;
        if (operator.takesList() && !isList) {
            throw AtelierException.invalidParameter("The comparator '" + operator.text()
                    + "' needs a parenthesized list of quoted strings such as ('a', 'b'). Got value " + value.source());
        }
        if (!operator.takesList() && isList) {
            throw AtelierException.invalidParameter("A list of values needs the comparator 'IN' or 'NOT IN', not '"
                    + operator.text() + "'");
        }
    }
}
