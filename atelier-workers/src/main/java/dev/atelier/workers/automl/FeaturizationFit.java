package dev.atelier.workers.automl;

import dev.atelier.server.models.automl.AutoMlPipeline.InputColumn;
import dev.atelier.server.models.automl.ColumnTransform;
import dev.atelier.server.models.automl.Featurizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Fits the featurization of a training frame (Azure's {@code featurization} settings): which columns are numeric,
 * categorical, dates or text, how missing values are filled, and which columns are dropped (id-like, constant, all
 * missing). Guardrails about the data ({@link Guardrails}) are computed beside it. Stateless.
 */
public final class FeaturizationFit {
    /** Categorical columns with more distinct values than this are hashed instead of one-hot encoded. */
    static final int ONE_HOT_LIMIT = 64;
    static final int HASH_BUCKETS = 64;
    static final int TEXT_BUCKETS = 256;
    private static final Pattern ID_NAME = Pattern.compile("(?i)(^id$|_id$|^id_|uuid|guid|^index$|^row_?number$)");

    private FeaturizationFit() {
    }

    /** The featurizer, the columns a model takes, and what was done to each column (for params and guardrails). */
    public record Fitted(Featurizer featurizer, List<InputColumn> inputs, Map<String, String> columnKinds) {
        public Fitted {
            inputs = List.copyOf(inputs);
            columnKinds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columnKinds));
        }
    }

    /**
     * @param excluded the target and weight columns
     */
    public static Fitted fit(Frame frame, Set<String> excluded, AutoMlSpec.Featurization settings) {
        List<InputColumn> inputs = new ArrayList<>();
        List<ColumnTransform> transforms = new ArrayList<>();
        Map<String, String> kinds = new LinkedHashMap<>();
        Set<String> blocked = new HashSet<>();
        settings.blockedTransformers().forEach(name -> blocked.add(name.toLowerCase(Locale.ROOT).replace("_", ""))); // tf_idf is tfidf
        Map<String, String> imputers = new HashMap<>();
        settings.transformerParams().imputer().forEach(imputer -> imputer.fields().forEach(field -> imputers.put(field, imputer.strategy())));
        Map<String, String> declared = new HashMap<>();
        if (settings.mode().equals("custom")) {
            settings.columnNameAndTypes().forEach((column, type) -> declared.put(column, type.toLowerCase(Locale.ROOT)));
        }
        for (Frame.Column column : frame.columns()) {
            if (excluded.contains(column.name())) {
                continue;
            }
            inputs.add(new InputColumn(column.name(), column instanceof Frame.Numeric ? "double" : "string"));
            String kind = settings.mode().equals("off")
                    ? (column instanceof Frame.Numeric && distinct(column, frame.rows()) > 0 ? "numeric" : "ignore")
                    : declared.getOrDefault(column.name(), infer(column, frame.rows()));
            kind = adjustForBlocked(kind, blocked);
            ColumnTransform transform = transform(column, frame.rows(), kind, imputers.getOrDefault(column.name(), "mean"));
            if (transform == null) {
                kind = kind.startsWith("drop") || kind.equals("ignore") ? kind : "ignore";
            } else {
                transforms.add(transform);
            }
            kinds.put(column.name(), kind);
        }
        if (transforms.isEmpty()) {
            throw new IllegalArgumentException("no column is left to learn from after featurization (columns: " + kinds + ")");
        }
        return new Fitted(new Featurizer(transforms), inputs, kinds);
    }

    /** numeric, categorical, categoricalhash, datetime, text, or drop_* / ignore. */
    static String infer(Frame.Column column, int rows) {
        int present = present(column, rows);
        if (present == 0) {
            return "drop_all_missing";
        }
        int distinct = distinct(column, rows);
        if (distinct <= 1) {
            return "drop_constant";
        }
        switch (column) {
            case Frame.Numeric numeric -> {
                boolean integral = Arrays.stream(numeric.values()).filter(v -> !Double.isNaN(v)).allMatch(v -> v == Math.rint(v));
                if (integral && distinct == present && present > 20 && (ID_NAME.matcher(column.name()).find() || consecutive(numeric.values()))) {
                    return "drop_id_like";
                }
                return "numeric";
            }
            case Frame.Text text -> {
                long dates = text.dictionary().stream().filter(value -> ColumnTransform.DateParts.parts(value) != null).count();
                if (dates >= 0.9 * text.dictionary().size()) {
                    return "datetime";
                }
                double words = text.dictionary().stream().mapToInt(value -> value.trim().split("\\s+").length).average().orElse(1);
                if (words >= 3 && distinct > 0.5 * present) {
                    return "text";
                }
                if (distinct == present && present > 20) {
                    return "drop_id_like";
                }
                return distinct > ONE_HOT_LIMIT ? "categoricalhash" : "categorical";
            }
        }
    }

    private static String adjustForBlocked(String kind, Set<String> blocked) {
        return switch (kind) {
            case "categorical" -> blocked.contains("onehotencoder") ? (blocked.contains("hashonehotencoder") ? "ignore" : "categoricalhash") : kind;
            case "categoricalhash", "hashes" -> blocked.contains("hashonehotencoder") ? (blocked.contains("onehotencoder") ? "ignore" : "categorical") : "categoricalhash";
            case "text" -> blocked.contains("tfidf") ? adjustForBlocked("texthash", blocked) : kind;
            case "texthash" -> blocked.contains("countvectorizer") ? adjustForBlocked("categoricalhash", blocked) : kind;
            default -> kind;
        };
    }

    private static ColumnTransform transform(Frame.Column column, int rows, String kind, String strategy) {
        return switch (kind) {
            case "numeric" -> {
                double fill = fill(column, rows, strategy);
                yield Double.isNaN(fill) ? null : new ColumnTransform.Numeric(column.name(), fill);
            }
            case "categorical" -> new ColumnTransform.OneHot(column.name(), topCategories(column, rows, ONE_HOT_LIMIT * 4));
            case "categoricalhash", "hashes" -> new ColumnTransform.Hashed(column.name(), HASH_BUCKETS);
            case "datetime" -> new ColumnTransform.DateParts(column.name(), dateFill(column, rows));
            case "text" -> tfIdf(column, rows);
            case "texthash" -> new ColumnTransform.TextHash(column.name(), TEXT_BUCKETS);
            default -> null;
        };
    }

    /**
     * TF-IDF fitted on the rows: the vocabulary is the {@link #TEXT_BUCKETS} words found in most rows (in at least two
     * when there are that many; ties by the word), each with its smoothed inverse document frequency. Null when no row
     * has a word.
     */
    static ColumnTransform.TfIdf tfIdf(Frame.Column column, int rows) {
        Map<String, Integer> documents = new HashMap<>();
        for (int i = 0; i < rows; i++) {
            Object value = column.value(i);
            if (value != null) {
                new HashSet<>(ColumnTransform.words(value)).forEach(word -> documents.merge(word, 1, Integer::sum));
            }
        }
        int least = documents.values().stream().filter(count -> count >= 2).count() >= TEXT_BUCKETS ? 2 : 1;
        List<Map.Entry<String, Integer>> vocabulary = documents.entrySet().stream().filter(entry -> entry.getValue() >= least)
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TEXT_BUCKETS).toList();
        if (vocabulary.isEmpty()) {
            return null;
        }
        return new ColumnTransform.TfIdf(column.name(), vocabulary.stream().map(Map.Entry::getKey).toList(),
                vocabulary.stream().map(entry -> Math.log((1.0 + rows) / (1.0 + entry.getValue())) + 1).toList());
    }

    /** The imputed value: mean, median, most_frequent or a constant ({@code constant} fills 0). */
    private static double fill(Frame.Column column, int rows, String strategy) {
        double[] values = new double[rows];
        int n = 0;
        for (int i = 0; i < rows; i++) {
            double value = ColumnTransform.number(column.value(i));
            if (!Double.isNaN(value)) {
                values[n++] = value;
            }
        }
        if (n == 0) {
            return Double.NaN;
        }
        double[] present = Arrays.copyOf(values, n);
        return switch (strategy) {
            case "median" -> {
                Arrays.sort(present);
                yield n % 2 == 1 ? present[n / 2] : (present[n / 2 - 1] + present[n / 2]) / 2;
            }
            case "most_frequent" -> {
                Map<Double, Integer> counts = new HashMap<>();
                for (double value : present) {
                    counts.merge(value, 1, Integer::sum);
                }
                yield counts.entrySet().stream().max(Map.Entry.<Double, Integer>comparingByValue()
                        .thenComparing(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder()))).orElseThrow().getKey();
            }
            case "constant" -> 0;
            default -> Arrays.stream(present).average().orElse(0);
        };
    }

    private static List<Double> dateFill(Frame.Column column, int rows) {
        double[] sums = new double[ColumnTransform.DateParts.PARTS.size()];
        int n = 0;
        for (int i = 0; i < rows; i++) {
            double[] parts = ColumnTransform.DateParts.parts(column.value(i));
            if (parts != null) {
                for (int p = 0; p < sums.length; p++) {
                    sums[p] += parts[p];
                }
                n++;
            }
        }
        List<Double> fill = new ArrayList<>();
        for (double sum : sums) {
            fill.add(n == 0 ? 0 : Math.rint(sum / n));
        }
        return fill;
    }

    /** The most frequent categories (ties by name), at most {@code limit}. */
    static List<String> topCategories(Frame.Column column, int rows, int limit) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < rows; i++) {
            String key = ColumnTransform.categoryKey(column.value(i));
            if (key != null) {
                counts.merge(key, 1, Integer::sum);
            }
        }
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit).map(Map.Entry::getKey).toList();
    }

    static int present(Frame.Column column, int rows) {
        int present = 0;
        for (int i = 0; i < rows; i++) {
            present += column.missing(i) ? 0 : 1;
        }
        return present;
    }

    static int distinct(Frame.Column column, int rows) {
        Set<String> values = new HashSet<>();
        for (int i = 0; i < rows; i++) {
            String key = ColumnTransform.categoryKey(column.value(i));
            if (key != null) {
                values.add(key);
            }
        }
        return values.size();
    }

    private static boolean consecutive(double[] values) {
        double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] - sorted[i - 1] != 1) {
                return false;
            }
        }
        return true;
    }

    /** The feature matrix of a frame. */
    public static double[][] matrix(Featurizer featurizer, Frame frame) {
        Map<String, Frame.Column> byName = new HashMap<>();
        frame.columns().forEach(column -> byName.put(column.name(), column));
        double[][] rows = new double[frame.rows()][];
        for (int i = 0; i < rows.length; i++) {
            int row = i;
            rows[i] = featurizer.features(name -> {
                Frame.Column column = byName.get(name);
                return column == null ? null : column.value(row);
            });
        }
        return rows;
    }
}
