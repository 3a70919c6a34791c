package dev.atelier.workers.builtins;

import dev.atelier.workers.table.ColumnList;
import dev.atelier.workers.table.TableException;
import dev.atelier.workers.table.TableReader;
import dev.atelier.workers.table.TableWriter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code join_data}: joins two tables on key columns, {@code inner} (rows whose keys match) or {@code left} (every left
 * row; missing values where no right row matches). Options: {@code --left}, {@code --right}, {@code --left_keys},
 * {@code --right_keys} (default: the left keys' names), {@code --mode}, {@code --output}. The output has the left
 * columns then the right ones but its keys; a right column named as a left one is suffixed {@code _right}. The right
 * table is held in memory (a hash on its keys) and the left one streamed: give the smaller table as the right one.
 * A left row matching several right rows gives one row per match. Missing keys never match.
 */
final class JoinData implements Builtin {
    @Override
    public void run(Arguments arguments) {
        Path left = arguments.path("left");
        Path right = arguments.path("right");
        List<String> leftKeys = ColumnList.parse("left_keys", arguments.text("left_keys"));
        List<String> rightKeys = arguments.optional("right_keys").filter(value -> !value.isBlank())
                .map(value -> ColumnList.parse("right_keys", value)).orElse(leftKeys);
        String mode = arguments.choice("mode", "inner", "inner", "left");
        Path output = arguments.path("output");
        arguments.checkAllRead();
        if (rightKeys.size() != leftKeys.size()) {
            throw new TableException("'right_keys' names " + rightKeys.size() + " columns for the " + leftKeys.size() + " of 'left_keys'");
        }
        Map<List<String>, List<String[]>> index = new HashMap<>();
        List<String> rightColumns = new ArrayList<>();
        int[] kept;
        try (TableReader reader = TableReader.open(right)) {
            int[] keys = reader.indexesOf(rightKeys);
            Set<Integer> keyPositions = new HashSet<>();
            Arrays.stream(keys).forEach(keyPositions::add);
            List<Integer> keptList = new ArrayList<>();
            for (int i = 0; i < reader.columns().size(); i++) {
                if (!keyPositions.contains(i)) {
                    keptList.add(i);
                    rightColumns.add(reader.columns().get(i));
                }
            }
            kept = keptList.stream().mapToInt(Integer::intValue).toArray();
            for (String[] row = reader.next(); row != null; row = reader.next()) {
                List<String> key = key(row, keys);
                if (key != null) {
                    String[] values = new String[kept.length];
                    for (int i = 0; i < kept.length; i++) {
                        values[i] = row[kept[i]];
                    }
                    index.computeIfAbsent(key, k -> new ArrayList<>(1)).add(values);
                }
            }
        }
        try (TableReader reader = TableReader.open(left)) {
            int[] keys = reader.indexesOf(leftKeys);
            List<String> header = new ArrayList<>(reader.columns());
            Set<String> names = new HashSet<>(header);
            for (String column : rightColumns) {
                String name = column;
                while (names.contains(name)) {
                    name = name + "_right";
                }
                names.add(name);
                header.add(name);
            }
            int leftWidth = reader.columns().size();
            String[] missing = new String[kept.length];
            Arrays.fill(missing, "");
            try (TableWriter writer = TableWriter.create(output, header)) {
                String[] joined = new String[header.size()];
                for (String[] row = reader.next(); row != null; row = reader.next()) {
                    List<String> key = key(row, keys);
                    List<String[]> matches = key == null ? null : index.get(key);
                    if (matches == null) {
                        if (mode.equals("left")) {
                            write(writer, joined, row, leftWidth, missing);
                        }
                        continue;
                    }
                    for (String[] match : matches) {
                        write(writer, joined, row, leftWidth, match);
                    }
                }
                System.out.println("join_data (" + mode + "): " + writer.rows() + " rows");
            }
        }
    }

    private static void write(TableWriter writer, String[] joined, String[] row, int leftWidth, String[] right) {
        System.arraycopy(row, 0, joined, 0, leftWidth);
        System.arraycopy(right, 0, joined, leftWidth, right.length);
        writer.write(joined);
    }

    /** The key of a row; {@code null} when one of its values is missing. */
    private static List<String> key(String[] row, int[] positions) {
        String[] key = new String[positions.length];
        for (int i = 0; i < positions.length; i++) {
            key[i] = row[positions[i]];
            if (key[i].isEmpty()) {
                return null;
            }
        }
        return List.of(key);
    }
}
