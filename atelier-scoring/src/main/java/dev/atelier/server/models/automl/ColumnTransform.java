package dev.atelier.server.models.automl;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * How one input column becomes features: the fitted state of one featurizer step. A value is what a {@link
 * dev.atelier.server.models.Table} holds (a Number, String, Boolean or null for missing); training passes the CSV's
 * text through the same code, so a model answers in a server exactly what it answered in the job. Immutable and
 * thread-safe.
 */
public sealed interface ColumnTransform {
    /** The input column read. */
    String column();

    /** The names of the features written, {@link #width()} of them. */
    List<String> featureNames();

    default int width() {
        return featureNames().size();
    }

    /** Writes this column's features for {@code value} into {@code row} from {@code offset}. */
    void write(Object value, double[] row, int offset);

    /** A number as it is, or {@code fill} when missing or not a number (booleans are 1 and 0). */
    record Numeric(String column, double fill) implements ColumnTransform {
        public Numeric {
            requireNonNull(column, "column is null");
        }

        @Override
        public List<String> featureNames() {
            return List.of(column);
        }

        @Override
        public void write(Object value, double[] row, int offset) {
            double number = number(value);
            row[offset] = Double.isNaN(number) ? fill : number;
        }
    }

    /** One feature per known category (1 for the value's, 0 for the others; an unknown or missing value is all 0). */
    record OneHot(String column, List<String> categories) implements ColumnTransform {
        public OneHot {
            requireNonNull(column, "column is null");
            categories = List.copyOf(categories);
        }

        @Override
        public List<String> featureNames() {
            return categories.stream().map(category -> column + "=" + category).toList();
        }

        @Override
        public void write(Object value, double[] row, int offset) {
            String key = categoryKey(value);
            int index = key == null ? -1 : categories.indexOf(key);
            for (int i = 0; i < categories.size(); i++) {
                row[offset + i] = i == index ? 1 : 0;
            }
        }
    }

    /** {@code <column><separator>0} ... {@code <column><separator><buckets - 1>}: the names of a hashed column's features. */
    private static List<String> bucketNames(String column, String separator, int buckets) {
        List<String> names = new ArrayList<>(buckets);
        for (int i = 0; i < buckets; i++) {
            names.add(column + separator + i);
        }
        return names;
    }

    /** The value's category hashed into {@code buckets} features (high-cardinality columns). */
    record Hashed(String column, int buckets) implements ColumnTransform {
        public Hashed {
            requireNonNull(column, "column is null");
        }

        @Override
        public List<String> featureNames() {
            return bucketNames(column, "#", buckets);
        }

        @Override
        public void write(Object value, double[] row, int offset) {
            java.util.Arrays.fill(row, offset, offset + buckets, 0);
            String key = categoryKey(value);
            if (key != null) {
                row[offset + Math.floorMod(key.hashCode(), buckets)] = 1;
            }
        }
    }

    /** Year, month, day, day of week, day of year and hour of an ISO date or date-time; {@code fill} when missing. */
    record DateParts(String column, List<Double> fill) implements ColumnTransform {
        public static final List<String> PARTS = List.of("year", "month", "day", "day_of_week", "day_of_year", "hour");

        public DateParts {
            requireNonNull(column, "column is null");
            fill = List.copyOf(fill);
        }

        @Override
        public List<String> featureNames() {
            return PARTS.stream().map(part -> column + "." + part).toList();
        }

        @Override
        public void write(Object value, double[] row, int offset) {
            double[] parts = parts(value);
            for (int i = 0; i < PARTS.size(); i++) {
                row[offset + i] = parts == null ? fill.get(i) : parts[i];
            }
        }

        /** The parts of a date, or null when the value is not one. */
        public static double[] parts(Object value) {
            if (!(value instanceof String text) || text.isBlank()) {
                return null;
            }
            LocalDateTime time = parseDate(text.trim());
            if (time == null) {
                return null;
            }
            return new double[] {time.getYear(), time.getMonthValue(), time.getDayOfMonth(),
                    time.getDayOfWeek().getValue(), time.getDayOfYear(), time.getHour()};
        }

        private static LocalDateTime parseDate(String text) {
            try {
                if (text.length() == 10) {
                    return LocalDate.parse(text).atStartOfDay();
                }
                String iso = text.replace(' ', 'T');
                return iso.endsWith("Z") || iso.matches(".*[+-]\\d\\d:\\d\\d$")
                        ? OffsetDateTime.parse(iso).toLocalDateTime() : LocalDateTime.parse(iso);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }

    /** Words (lower-case letters and digits) hashed into {@code buckets} features, counts scaled to unit length. */
    record TextHash(String column, int buckets) implements ColumnTransform {
        public TextHash {
            requireNonNull(column, "column is null");
        }

        @Override
        public List<String> featureNames() {
            return bucketNames(column, "~", buckets);
        }

        @Override
        public void write(Object value, double[] row, int offset) {
            java.util.Arrays.fill(row, offset, offset + buckets, 0);
            if (value == null) {
                return;
            }
            Map<Integer, Integer> counts = new HashMap<>();
            for (String word : words(value)) {
                counts.merge(Math.floorMod(word.hashCode(), buckets), 1, Integer::sum);
            }
            double norm = Math.sqrt(counts.values().stream().mapToDouble(count -> (double) count * count).sum());
            counts.forEach((bucket, count) -> row[offset + bucket] = count / norm);
        }
    }

    /**
     * TF-IDF of the words (lower-case letters and digits) of a text: for each term of the fitted vocabulary, its count in
     * the value times its inverse document frequency, {@code ln((1 + documents) / (1 + documents with the term)) + 1}
     * (scikit-learn's smoothed IDF), the row scaled to unit length. Words outside the vocabulary are ignored; a missing
     * value, or one with no known word, is all 0. The vocabulary and IDF are fitted on the training rows and saved.
     *
     * @param positions each term's position in {@code terms}, derived from them
     */
    record TfIdf(String column, List<String> terms, List<Double> idf, Map<String, Integer> positions) implements ColumnTransform {
        public TfIdf {
            requireNonNull(column, "column is null");
            terms = List.copyOf(terms);
            idf = List.copyOf(idf);
            if (terms.size() != idf.size()) {
                throw new IllegalArgumentException("terms and idf differ in length");
            }
            positions = Map.copyOf(positions);
        }

        public TfIdf(String column, List<String> terms, List<Double> idf) {
            this(column, terms, idf, positionsOf(terms));
        }

        @Override
        public List<String> featureNames() {
            return terms.stream().map(term -> column + "~" + term).toList();
        }

        @Override
        public void write(Object value, double[] row, int offset) {
            java.util.Arrays.fill(row, offset, offset + terms.size(), 0);
            if (value == null) {
                return;
            }
            Map<Integer, Integer> counts = new HashMap<>();
            for (String word : words(value)) {
                Integer position = positions.get(word);
                if (position != null) {
                    counts.merge(position, 1, Integer::sum);
                }
            }
            double norm = Math.sqrt(counts.entrySet().stream()
                    .mapToDouble(entry -> Math.pow(entry.getValue() * idf.get(entry.getKey()), 2)).sum());
            counts.forEach((position, count) -> row[offset + position] = count * idf.get(position) / norm);
        }

        private static Map<String, Integer> positionsOf(List<String> terms) {
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < terms.size(); i++) {
                index.put(terms.get(i), i);
            }
            return index;
        }
    }

    /** The words of a value: runs of letters and digits, lower-cased (what {@link TextHash} and {@link TfIdf} count). */
    static List<String> words(Object value) {
        List<String> words = new ArrayList<>();
        for (String word : String.valueOf(value).toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    /** A value as a number: NaN when missing or not numeric. */
    static double number(Object value) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof Boolean bool) {
            return bool ? 1 : 0;
        }
        if (value instanceof String text) {
            return parseNumber(text);
        }
        return Double.NaN;
    }

    /** Text as a number: NaN when blank or not numeric. */
    static double parseNumber(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            return Double.NaN;
        }
        char first = trimmed.charAt(0);
        if (!(Character.isDigit(first) || first == '-' || first == '+' || first == '.')) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(trimmed);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * The category a value names, the same for {@code 3}, {@code 3.0} and {@code "3"} (a whole number is written
     * without a fraction); null when missing or blank.
     */
    static String categoryKey(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean bool) {
            return bool.toString();
        }
        double number = value instanceof Number n ? n.doubleValue() : value instanceof String s ? parseNumber(s) : Double.NaN;
        if (!Double.isNaN(number)) {
            return number == Math.rint(number) && Math.abs(number) < 1e15 ? Long.toString((long) number) : Double.toString(number);
        }
        String text = String.valueOf(value).trim();
        return text.isEmpty() ? null : text;
    }
}
