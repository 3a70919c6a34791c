package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code atelier job create -f automl.yml} submits an Azure-style AutoML job as it is, and {@code atelier job show} prints its
 * best run, leaderboard and data guardrails (docs/automl.md), against a real server running the engine.
 */
class AutoMlCommandTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void createSubmitsTheAutoMlYamlAndShowPrintsTheLeaderboard(@TempDir Path dir) throws IOException {
        Random random = new Random(5);
        StringBuilder csv = new StringBuilder("size,rooms,price\n");
        for (int i = 0; i < 200; i++) {
            double size = 40 + 100 * random.nextDouble();
            int rooms = 1 + random.nextInt(5);
            csv.append(String.format(Locale.ROOT, "%.2f,%d,%.2f%n", size, rooms, 3 * size + 20 * rooms + 10 * random.nextGaussian()));
        }
        Path data = Files.writeString(dir.resolve("houses.csv"), csv);
        Cli.Result registered = Cli.runAgainst(server.url(), "data", "create", "--name", "houses", "--type", "table", "--path",
                data.toString(), "--no-progress");
        assertThat(registered.exitCode()).as(registered.err()).isZero();
        Path yaml = Files.writeString(dir.resolve("automl.yml"), """
                $schema: https://azuremlschemas.azureedge.net/latest/autoMLJob.schema.json
                type: automl
                name: cli-automl
                task: regression
                log_verbosity: info
                target_column_name: price
                training_data:
                  type: mltable
                  path: azureml:houses@latest
                seed: 3
                limits: {timeout_minutes: 5, max_trials: 3}
                training:
                  allowed_training_algorithms: [xg_boost_regressor, elastic_net, random_forest]
                  enable_model_explainability: false
                """);

        Cli.Result created = Cli.runAgainst(server.url(), "job", "create", "-f", yaml.toString(), "--stream");
        assertThat(created.exitCode()).as(created.out() + created.err()).isZero();

        Cli.Result shown = Cli.runAgainst(server.url(), "job", "show", "cli-automl");
        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("Best run:", "normalized_root_mean_squared_error", "Leaderboard (best first):", "RANK",
                "ALGORITHM", "Data guardrails:");
        JsonNode job = HttpJson.parse(Cli.runAgainst(server.url(), "job", "show", "cli-automl", "-o", "json").out());
        assertThat(job.path("type").asText()).isEqualTo("automl");
        assertThat(job.path("result").path("trials").size()).isGreaterThanOrEqualTo(3);
        assertThat(shown.out()).contains(job.path("result").path("best_run_id").asText());
    }
}
