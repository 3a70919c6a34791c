package dev.atelier.workers.builtins;

import dev.atelier.workers.table.TableException;
import dev.atelier.workers.table.TableReader;
import dev.atelier.workers.table.Values;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A condition on a row, {@code <column> <operator> <value>}: operators {@code > >= < <= == != =}; a quoted value
 * ({@code 'a'} or {@code "a"}) compares text, an unquoted number compares numbers (a row whose value is missing or not
 * a number fails it), any other unquoted word compares text. Conditions join with {@code and} / {@code or}
 * ({@code and} binds first), as in {@code age >= 18 and country == 'FR'}. Immutable.
 */
sealed interface RowCondition {
    Pattern COMPARISON = Pattern.compile("\\s*(.+?)\\s*(>=|<=|==|!=|=|>|<)\\s*(.+?)\\s*");
    Pattern OR = Pattern.compile("\\s+or\\s+", Pattern.CASE_INSENSITIVE);
    Pattern AND = Pattern.compile("\\s+and\\s+", Pattern.CASE_INSENSITIVE);

    boolean test(String[] row);

    /**
     * Parses {@code expression} against the table's columns.
     *
     * @throws TableException naming the part that is not a comparison or the column that does not exist
     */
    static RowCondition parse(String expression, TableReader reader) {
        String[] alternatives = OR.split(expression.strip());
        if (alternatives.length > 1) {
            RowCondition[] parts = new RowCondition[alternatives.length];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = parse(alternatives[i], reader);
            }
            return new Any(parts);
        }
        String[] conjuncts = AND.split(expression.strip());
        if (conjuncts.length > 1) {
            RowCondition[] parts = new RowCondition[conjuncts.length];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = parse(conjuncts[i], reader);
            }
            return new All(parts);
        }
        Matcher matcher = COMPARISON.matcher(expression);
        if (!matcher.matches()) {
            throw new TableException("'" + expression + "' is not a comparison: write <column> <operator> <value>, such as "
                    + "age > 30 or city == 'Paris' (operators > >= < <= == !=)");
        }
        String column = unquote(matcher.group(1));
        int position = reader.indexOf(column);
        String operator = matcher.group(2).equals("=") ? "==" : matcher.group(2);
        String value = matcher.group(3);
        boolean quoted = value.length() >= 2 && (value.startsWith("'") && value.endsWith("'") || value.startsWith("\"") && value.endsWith("\""));
        Double number = quoted ? null : Values.parse(value);
        if (number != null && !number.isNaN()) {
            return new NumberComparison(position, operator, number);
        }
        return new TextComparison(position, operator, quoted ? value.substring(1, value.length() - 1) : value);
    }

    private static String unquote(String name) {
        boolean quoted = name.length() >= 2 && (name.startsWith("'") && name.endsWith("'") || name.startsWith("\"") && name.endsWith("\"")
                || name.startsWith("`") && name.endsWith("`"));
        return quoted ? name.substring(1, name.length() - 1) : name;
    }

    private static boolean holds(String operator, int comparison) {
        return switch (operator) {
            case ">" -> comparison > 0;
            case ">=" -> comparison >= 0;
            case "<" -> comparison < 0;
            case "<=" -> comparison <= 0;
            case "!=" -> comparison != 0;
            default -> comparison == 0;
        };
    }

    record NumberComparison(int position, String operator, double value) implements RowCondition {
        @Override
        public boolean test(String[] row) {
            Double number = Values.parse(row[position]);
            if (number == null || number.isNaN()) {
                return operator.equals("!=");
            }
            return holds(operator, Double.compare(number, value));
        }
    }

    record TextComparison(int position, String operator, String value) implements RowCondition {
        @Override
        public boolean test(String[] row) {
            return holds(operator, row[position].compareTo(value));
        }
    }

    record All(RowCondition[] parts) implements RowCondition {
        @Override
        public boolean test(String[] row) {
            for (RowCondition part : parts) {
                if (!part.test(row)) {
                    return false;
                }
            }
            return true;
        }
    }

    record Any(RowCondition[] parts) implements RowCondition {
        @Override
        public boolean test(String[] row) {
            for (RowCondition part : parts) {
                if (part.test(row)) {
                    return true;
                }
            }
            return false;
        }
    }
}
