package dev.atelier.workers.builtins;

import dev.atelier.workers.table.TableException;
import dev.atelier.workers.table.TableReader;
import dev.atelier.workers.table.TableWriter;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * {@code split_data}: splits a table's rows in two, keeping their order. Options: {@code --input}, {@code --mode},
 * {@code --fraction}, {@code --seed}, {@code --stratify_column}, {@code --expression}, {@code --output1},
 * {@code --output2}.
 * <ul>
 *   <li>{@code random}: exactly {@code round(fraction × rows)} rows, drawn with the seed, go to the first output
 *   (selection sampling: one pass to count the rows, one to split them).</li>
 *   <li>{@code stratified}: the same within each value of {@code stratify_column}, so both outputs keep its proportions
 *   (the first pass counts each value; the values are held, not the rows).</li>
 *   <li>{@code expression}: rows where {@link RowCondition} holds go to the first output, one pass.</li>
 * </ul>
 */
final class SplitData implements Builtin {
    @Override
    public void run(Arguments arguments) {
        Path input = arguments.path("input");
        String mode = arguments.choice("mode", "random", "random", "stratified", "expression");
        double fraction = arguments.number("fraction", 0.7, 0, 1);
        long seed = arguments.integer("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
        Optional<String> stratifyColumn = arguments.optional("stratify_column").filter(value -> !value.isBlank());
        Optional<String> expression = arguments.optional("expression").filter(value -> !value.isBlank());
        Path first = arguments.path("output1");
        Path second = arguments.path("output2");
        arguments.checkAllRead();
        switch (mode) {
            case "expression" -> byExpression(input, expression.orElseThrow(() -> new TableException(
                    "split_data's mode 'expression' needs 'expression', such as: age > 30")), first, second);
            case "stratified" -> sampled(input, Optional.of(stratifyColumn.orElseThrow(() -> new TableException(
                    "split_data's mode 'stratified' needs 'stratify_column'"))), fraction, seed, first, second);
            default -> sampled(input, Optional.empty(), fraction, seed, first, second);
        }
    }

    private static void byExpression(Path input, String expression, Path first, Path second) {
        try (TableReader reader = TableReader.open(input)) {
            RowCondition condition = RowCondition.parse(expression, reader);
            try (TableWriter one = TableWriter.create(first, reader.columns());
                 TableWriter two = TableWriter.create(second, reader.columns())) {
                for (String[] row = reader.next(); row != null; row = reader.next()) {
                    (condition.test(row) ? one : two).write(row);
                }
                System.out.println("split_data: " + one.rows() + " rows where " + expression + ", " + two.rows() + " others");
            }
        }
    }

    /** Selection sampling (Knuth's algorithm S) per stratum: the whole table is one stratum without a column. */
    private static void sampled(Path input, Optional<String> stratifyColumn, double fraction, long seed, Path first, Path second) {
        Map<String, long[]> strata = new HashMap<>();
        try (TableReader reader = TableReader.open(input)) {
            int column = stratifyColumn.map(reader::indexOf).orElse(-1);
            for (String[] row = reader.next(); row != null; row = reader.next()) {
                strata.computeIfAbsent(column < 0 ? "" : row[column], key -> new long[3])[0]++;
            }
        }
        // per stratum: [rows, rows still to see, rows still to pick for the first output]
        strata.values().forEach(counts -> {
            counts[1] = counts[0];
            counts[2] = Math.round(fraction * counts[0]);
        });
        SplittableRandom random = new SplittableRandom(seed);
        try (TableReader reader = TableReader.open(input);
             TableWriter one = TableWriter.create(first, reader.columns());
             TableWriter two = TableWriter.create(second, reader.columns())) {
            int column = stratifyColumn.map(reader::indexOf).orElse(-1);
            for (String[] row = reader.next(); row != null; row = reader.next()) {
                long[] counts = strata.get(column < 0 ? "" : row[column]);
                if (counts == null) {
                    throw new TableException("the table changed while it was split");
                }
                boolean pick = random.nextDouble() * counts[1] < counts[2];
                counts[1]--;
                if (pick) {
                    counts[2]--;
                    one.write(row);
                } else {
                    two.write(row);
                }
            }
            System.out.println("split_data: " + one.rows() + " rows to output1, " + two.rows() + " to output2"
                    + stratifyColumn.map(name -> " (" + strata.size() + " values of " + name + ")").orElse(""));
        }
    }
}
