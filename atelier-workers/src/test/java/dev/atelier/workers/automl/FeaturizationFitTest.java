package dev.atelier.workers.automl;

import dev.atelier.server.models.automl.ColumnTransform;
import dev.atelier.server.models.automl.Featurizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FeaturizationFitTest {
    @TempDir
    Path folder;

    private Frame mixed() throws IOException {
        List<String> lines = new ArrayList<>(List.of("row_id,amount,city,when,review,same,target"));
        String[] cities = {"paris", "lyon", "nice"};
        for (int i = 0; i < 30; i++) {
            String amount = i % 10 == 3 ? "" : Integer.toString(i);
            String review = "the product was " + (i % 2 == 0 ? "great and cheap" : "bad, slow and late") + " number " + i;
            lines.add((i + 1) + "," + amount + "," + cities[i % 3] + ",2024-03-" + String.format("%02d", 1 + i % 28) + "T10:00:00,\""
                    + review + "\",1," + (i % 2));
        }
        Files.write(folder.resolve("mixed.csv"), lines);
        return CsvFrames.read(folder.resolve("mixed.csv"));
    }

    @Test
    void autoFeaturizationInfersTypesImputesAndDropsUselessColumns() throws IOException {
        Frame frame = mixed();
        FeaturizationFit.Fitted fitted = FeaturizationFit.fit(frame, Set.of("target"), new AutoMlSpec.Featurization(null, null, null, null));
        assertThat(fitted.columnKinds().entrySet()).extracting(entry -> entry.getKey() + ":" + entry.getValue()).containsExactly(
                "row_id:drop_id_like", "amount:numeric", "city:categorical", "when:datetime", "review:text", "same:drop_constant");
        Featurizer featurizer = fitted.featurizer();
        assertThat(featurizer.columns()).containsExactly("amount", "city", "when", "review");
        // amount: 27 present values 0..29 without 3, 13, 23: mean (435 - 39) / 27
        ColumnTransform.Numeric amount = (ColumnTransform.Numeric) featurizer.transforms().get(0);
        assertThat(amount.fill()).isCloseTo(396.0 / 27, within(1e-9));

        double[][] matrix = FeaturizationFit.matrix(featurizer, frame);
        List<String> names = featurizer.featureNames();
        double[] row3 = matrix[3];
        assertThat(row3[names.indexOf("amount")]).isCloseTo(396.0 / 27, within(1e-9));
        assertThat(row3[names.indexOf("city=paris")]).isEqualTo(1);
        assertThat(row3[names.indexOf("city=lyon")]).isEqualTo(0);
        assertThat(row3[names.indexOf("when.month")]).isEqualTo(3);
        assertThat(row3[names.indexOf("when.day")]).isEqualTo(4);
        assertThat(row3[names.indexOf("when.hour")]).isEqualTo(10);
        double squares = 0;
        for (int i = 0; i < names.size(); i++) {
            squares += names.get(i).startsWith("review~") ? row3[i] * row3[i] : 0;
        }
        assertThat(squares).as("text features are scaled to unit length").isCloseTo(1, within(1e-9));
        assertThat(fitted.inputs()).extracting(input -> input.name() + ":" + input.type())
                .containsExactly("row_id:double", "amount:double", "city:string", "when:string", "review:string", "same:double");
    }

    @Test
    void customFeaturizationFollowsDeclaredTypesImputerAndBlockedTransformers() throws IOException {
        Frame frame = mixed();
        AutoMlSpec.Featurization custom = new AutoMlSpec.Featurization("custom", List.of("OneHotEncoder"),
                Map.of("review", "Ignore", "amount", "Categorical"),
                new AutoMlSpec.TransformerParams(List.of(new AutoMlSpec.ImputerParams(List.of("amount"), Map.of("strategy", "median")))));
        FeaturizationFit.Fitted fitted = FeaturizationFit.fit(frame, Set.of("target"), custom);
        assertThat(fitted.columnKinds()).containsEntry("review", "ignore").containsEntry("city", "categoricalhash")
                .containsEntry("amount", "categoricalhash");

        AutoMlSpec.Featurization median = new AutoMlSpec.Featurization("custom", List.of(), Map.of(),
                new AutoMlSpec.TransformerParams(List.of(new AutoMlSpec.ImputerParams(List.of("amount"), Map.of("strategy", "median")))));
        ColumnTransform.Numeric amount = (ColumnTransform.Numeric) FeaturizationFit.fit(frame, Set.of("target"), median)
                .featurizer().transforms().get(0);
        assertThat(amount.fill()).isEqualTo(15.0);
    }

    @Test
    void featurizationOffKeepsNumericColumnsOnly() throws IOException {
        FeaturizationFit.Fitted fitted = FeaturizationFit.fit(mixed(), Set.of("target"), new AutoMlSpec.Featurization("off", null, null, null));
        assertThat(fitted.featurizer().columns()).containsExactly("row_id", "amount", "same");
    }

    @Test
    void categoriesMatchWhateverTypeAValueComesAs() {
        ColumnTransform.OneHot oneHot = new ColumnTransform.OneHot("code", List.of("3", "4.5", "x"));
        double[] row = new double[3];
        for (Object value : List.of(3, 3.0, "3", " 3.0 ")) {
            oneHot.write(value, row, 0);
            assertThat(row).containsExactly(1, 0, 0);
        }
        oneHot.write("unknown", row, 0);
        assertThat(row).containsExactly(0, 0, 0);
    }

    @Test
    void textGetsTfIdfFittedOnTheTrainingRows() throws IOException {
        Frame frame = mixed();
        ColumnTransform.TfIdf review = (ColumnTransform.TfIdf) FeaturizationFit.fit(frame, Set.of("target"),
                new AutoMlSpec.Featurization(null, null, null, null)).featurizer().transforms().get(3);
        // 30 rows: "the" is in all of them, "great" in the 15 even ones, "3" in one; scikit-learn's smoothed IDF
        assertThat(review.idf().get(review.terms().indexOf("the"))).isCloseTo(1.0, within(1e-12));
        double great = Math.log(31.0 / 16) + 1;
        assertThat(review.idf().get(review.terms().indexOf("great"))).isCloseTo(great, within(1e-12));
        assertThat(review.terms()).startsWith("and", "number", "product", "the", "was").contains("3", "late");

        // a new text: "great" once, "the" twice and an unknown word; the counts times the IDF, scaled to unit length
        double[] row = new double[review.width()];
        review.write("The great, THE unknown", row, 0);
        double norm = Math.sqrt(great * great + 2 * 2);
        assertThat(row[review.terms().indexOf("great")]).isCloseTo(great / norm, within(1e-12));
        assertThat(row[review.terms().indexOf("the")]).isCloseTo(2 / norm, within(1e-12));
        assertThat(java.util.Arrays.stream(row).filter(value -> value != 0).count()).isEqualTo(2);
        review.write(null, row, 0);
        assertThat(row).containsOnly(0.0);
    }

    @Test
    void blockingTfIdfHashesTheWordsAndBlockingCountsTooHashesTheValue() throws IOException {
        Frame frame = mixed();
        AutoMlSpec.Featurization noTfIdf = new AutoMlSpec.Featurization("custom", List.of("tf_idf"), Map.of(), null);
        assertThat(FeaturizationFit.fit(frame, Set.of("target"), noTfIdf).featurizer().transforms().get(3))
                .isInstanceOf(ColumnTransform.TextHash.class);
        AutoMlSpec.Featurization neither = new AutoMlSpec.Featurization("custom", List.of("tf_idf", "count_vectorizer"), Map.of(), null);
        assertThat(FeaturizationFit.fit(frame, Set.of("target"), neither).columnKinds()).containsEntry("review", "categoricalhash");
    }
}
