package dev.atelier.workers.builtins;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.workers.table.TableException;
import dev.atelier.workers.table.TableReader;
import dev.atelier.workers.table.Values;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A classifier's metrics from a scored table: a confusion matrix over the classes (the model's, then any other label
 * seen), and AUC one class against the rest from {@code scored_probability} (two classes: of the second) or
 * {@code scored_probability_<class>} columns. Not thread-safe; one per evaluation.
 */
final class ClassificationMetrics {
    private final List<String> classes;
    private final long[][] confusion;

    private final Map<String, Double> auc;
    private final double[] truth;
    private final double[][] probabilities;

    private ClassificationMetrics(List<String> classes, long[][] confusion, Map<String, Double> auc, double[] truth,
                                  double[][] probabilities) {
        this.classes = classes;
        this.confusion = confusion;
        this.auc = auc;
        this.truth = truth;
        this.probabilities = probabilities;
    }

    /** The classes, in the order of the confusion matrix and of {@link #probabilities()}. */
    List<String> classes() {
        return List.copyOf(classes);
    }

    /** Each evaluated row's true class, as its index in {@link #classes()}. */
    double[] truth() {
        return truth.clone();
    }

    /**
     * Each evaluated row's probability per class of {@link #classes()}: the scored probabilities (two classes: the
     * second's and its complement), or 1 for the scored class when the table has no probabilities (a hard classifier).
     */
    double[][] probabilities() {
        return probabilities.clone();
    }

    static ClassificationMetrics compute(TableReader reader, int truth, int scored, List<String> modelClasses) {
        List<String> columns = reader.columns();
        int binaryProbability = columns.indexOf(ScoreModel.SCORED_PROBABILITY);
        Map<String, Integer> classProbabilities = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).startsWith(ScoreModel.SCORED_PROBABILITY + "_")) {
                classProbabilities.put(columns.get(i).substring(ScoreModel.SCORED_PROBABILITY.length() + 1), i);
            }
        }
        List<String[]> pairs = new ArrayList<>();
        List<double[]> probabilities = new ArrayList<>();
        for (String[] row = reader.next(); row != null; row = reader.next()) {
            if (Values.missing(row[truth])) {
                continue;
            }
            pairs.add(new String[] {row[truth], row[scored]});
            if (binaryProbability >= 0) {
                probabilities.add(new double[] {Values.number(row[binaryProbability], ScoreModel.SCORED_PROBABILITY, reader.rowNumber())});
            } else if (!classProbabilities.isEmpty()) {
                double[] values = new double[classProbabilities.size()];
                int c = 0;
                for (Map.Entry<String, Integer> entry : classProbabilities.entrySet()) {
                    values[c++] = Values.number(row[entry.getValue()], columns.get(entry.getValue()), reader.rowNumber());
                }
                probabilities.add(values);
            }
        }
        if (pairs.isEmpty()) {
            throw new TableException("no row has a label to evaluate");
        }
        List<String> classes = new ArrayList<>(modelClasses);
        TreeSet<String> seen = new TreeSet<>();
        pairs.forEach(pair -> {
            seen.add(pair[0]);
            seen.add(pair[1]);
        });
        seen.stream().filter(name -> !classes.contains(name)).forEach(classes::add);
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        long[][] confusion = new long[classes.size()][classes.size()];
        pairs.forEach(pair -> confusion[index.get(pair[0])][index.get(pair[1])]++);
        Map<String, Double> auc = new LinkedHashMap<>();
        if (binaryProbability >= 0) {
            String positive = modelClasses.size() == 2 ? modelClasses.get(1) : classes.get(Math.min(1, classes.size() - 1));
            double value = auc(pairs, probabilities, 0, positive);
            if (!Double.isNaN(value)) {
                classes.forEach(name -> auc.put(name, value));
            }
        } else {
            int c = 0;
            for (String name : classProbabilities.keySet()) {
                double value = auc(pairs, probabilities, c++, name);
                if (!Double.isNaN(value)) {
                    auc.put(name, value);
                }
            }
        }
        double[] truthIndexes = new double[pairs.size()];
        double[][] rowProbabilities = new double[pairs.size()][classes.size()];
        String positive = modelClasses.size() == 2 ? modelClasses.get(1) : classes.get(Math.min(1, classes.size() - 1));
        List<String> probabilityClasses = new ArrayList<>(classProbabilities.keySet());
        for (int row = 0; row < pairs.size(); row++) {
            truthIndexes[row] = index.get(pairs.get(row)[0]);
            double[] values = rowProbabilities[row];
            if (binaryProbability >= 0 && classes.size() == 2) {
                int positiveIndex = index.get(positive);
                values[positiveIndex] = probabilities.get(row)[0];
                values[1 - positiveIndex] = 1 - probabilities.get(row)[0];
            } else if (!probabilityClasses.isEmpty()) {
                for (int c = 0; c < probabilityClasses.size(); c++) {
                    Integer at = index.get(probabilityClasses.get(c));
                    if (at != null) {
                        values[at] = probabilities.get(row)[c];
                    }
                }
            } else {
                values[index.get(pairs.get(row)[1])] = 1;
            }
        }
        return new ClassificationMetrics(classes, confusion, auc, truthIndexes, rowProbabilities);
    }

    /** The area under the ROC curve of {@code positive} against the rest (Mann–Whitney, ties counted half); NaN with one class. */
    private static double auc(List<String[]> pairs, List<double[]> probabilities, int column, String positive) {
        int n = pairs.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(probabilities.get(a)[column], probabilities.get(b)[column]));
        double rankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && probabilities.get(order[j + 1])[column] == probabilities.get(order[i])[column]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (pairs.get(order[k])[0].equals(positive)) {
                    rankSum += rank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    Map<String, Double> metrics() {
        int k = classes.size();
        long total = 0;
        long correct = 0;
        double precisionMacro = 0;
        double recallMacro = 0;
        double f1Macro = 0;
        double precisionWeighted = 0;
        double recallWeighted = 0;
        double f1Weighted = 0;
        int present = 0;
        for (int c = 0; c < k; c++) {
            long truePositives = confusion[c][c];
            long actual = Arrays.stream(confusion[c]).sum();
            long predicted = 0;
            for (long[] row : confusion) {
                predicted += row[c];
            }
            total += actual;
            correct += truePositives;
            if (actual == 0) {
                continue;
            }
            present++;
            double precision = predicted == 0 ? 0 : (double) truePositives / predicted;
            double recall = (double) truePositives / actual;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            precisionMacro += precision;
            recallMacro += recall;
            f1Macro += f1;
            precisionWeighted += precision * actual;
            recallWeighted += recall * actual;
            f1Weighted += f1 * actual;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", (double) correct / total);
        metrics.put("precision_score_macro", precisionMacro / present);
        metrics.put("recall_score_macro", recallMacro / present);
        metrics.put("f1_score_macro", f1Macro / present);
        metrics.put("precision_score_weighted", precisionWeighted / total);
        metrics.put("recall_score_weighted", recallWeighted / total);
        metrics.put("f1_score_weighted", f1Weighted / total);
        if (!auc.isEmpty()) {
            double macro = 0;
            double weighted = 0;
            long weight = 0;
            for (Map.Entry<String, Double> entry : auc.entrySet()) {
                int c = classes.indexOf(entry.getKey());
                long actual = Arrays.stream(confusion[c]).sum();
                macro += entry.getValue();
                weighted += entry.getValue() * actual;
                weight += actual;
            }
            metrics.put("AUC_macro", macro / auc.size());
            if (weight > 0) {
                metrics.put("AUC_weighted", weighted / weight);
            }
        }
        return metrics;
    }

    /** {@code {"labels": [...], "matrix": [[...]]}}: row = true class, column = scored class. */
    ObjectNode confusionMatrix(ObjectMapper json) {
        ObjectNode node = json.createObjectNode();
        ArrayNode labels = node.putArray("labels");
        classes.forEach(labels::add);
        ArrayNode matrix = node.putArray("matrix");
        for (long[] row : confusion) {
            ArrayNode values = matrix.addArray();
            Arrays.stream(row).forEach(values::add);
        }
        return node;
    }
}
