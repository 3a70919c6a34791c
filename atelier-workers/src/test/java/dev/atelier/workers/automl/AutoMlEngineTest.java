package dev.atelier.workers.automl;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AutoMlEngineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    @Test
    void classificationBeatsTheMajorityClassByAWideMargin() throws IOException {
        Path train = GeneratedData.moons(folder.resolve("train.csv"), 600, 1);
        Path test = GeneratedData.moons(folder.resolve("test.csv"), 300, 2);
        AutoMlResult result = run(Map.of("task", "classification", "target_column_name", "label", "training_data", train.toString(),
                "test_data", test.toString(), "primary_metric", "accuracy", "seed", 7,
                "limits", Map.of("max_trials", 10, "timeout_minutes", 10)));
        System.out.println(JSON.writeValueAsString(result));
        // the classes are balanced: a majority-class model is right about half of the time
        assertThat(result.bestScore()).isGreaterThan(0.5 + 0.3);
        assertThat(result.trials()).hasSizeGreaterThanOrEqualTo(10);
    }

    private AutoMlResult run(Map<String, Object> spec) throws IOException {
        Path specFile = folder.resolve("spec.json");
        JSON.writeValue(specFile.toFile(), spec);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AutoMlMain.run(new String[] {"--spec", specFile.toString(), "--outputs", folder.resolve("outputs").toString()},
                Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        System.out.println(out.toString(StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return JSON.readValue(Files.readString(folder.resolve("outputs/automl_result.json")), AutoMlResult.class);
    }
}
