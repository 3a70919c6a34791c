package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AutoML jobs with bad input (docs/automl.md, "Errors") are refused with a 400 naming the problem before anything is
 * queued or run: the document's own mistakes, and those only the tables' profiles show (no such target column, one class,
 * a data asset that is not a table).
 */
class AutoMlBadInputTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final String TABLE = "x1,x2,label,weight,city\n1,2,yes,1.0,a\n2,3,no,2.0,b\n3,4,yes,1.5,a\n4,5,no,1.0,c\n";
    private static final String ONE_CLASS = "x1,label\n1,yes\n2,yes\n3,yes\n";

    private final HttpJson http = server.http();
    private final JobsFixture jobs = new JobsFixture(http);

    @BeforeAll
    static void tables() {
        upload(server.http(), "churn", "table", "churn.csv", TABLE);
        upload(server.http(), "same", "table", "same.csv", ONE_CLASS);
        upload(server.http(), "raw", "uri_file", "raw.csv", TABLE);
    }

    @Test
    void documentMistakesNameTheirField() {
        refused("task: clustering", "task", "classification or regression");
        refused("primary_metric: r2_score", "primary_metric", "auc_weighted");
        refused("primary_metric: accuracy\ntask_override: 1", "task_override", "Unknown field");
        refused("limits: {timeout_minutes: 0}", "limits.timeout_minutes", "budget of 0");
        refused("limits: {max_trials: 0}", "limits.max_trials", "budget of 0");
        refused("training: {allowed_training_algorithms: [random_forest, deep_forest]}", "training.allowed_training_algorithms",
                "deep_forest");
        refused("training: {blocked_training_algorithms: [xg_boost_regressor]}", "xg_boost_regressor");
        refused("training: {allowed_training_algorithms: [SVM]}", "SVM", "Atelier's AutoML trains");
        refused("training: {allowed_training_algorithms: [knn], blocked_training_algorithms: [KNN]}", "blocks every algorithm");
        refused("n_cross_validations: 1", "n_cross_validations", "2 to 100");
        refused("validation_data_size: 1.5", "validation_data_size");
        refused("featurization: {mode: auto, blocked_transformers: [tf_idf]}", "featurization.mode", "custom");
        refused("featurization: {mode: custom, transformer_params: {imputer: [{fields: [x1], parameters: {strategy: mode}}]}}",
                "featurization.transformer_params.imputer[0].parameters.strategy");
        HttpJson.Response regression = jobs.submitYaml(document("churn", "task: regression\ntarget_column_name: x1\npositive_label: 'yes'"));
        assertThat(regression.status()).as(regression.text()).isEqualTo(400);
        assertThat(regression.json().path("message").asText()).contains("positive_label");
        HttpJson.Response folder = jobs.submitYaml("""
                type: automl
                name: automl-folder
                task: classification
                target_column_name: label
                training_data: {type: uri_folder, path: azureml:churn@latest}
                """);
        assertThat(folder.status()).as(folder.text()).isEqualTo(400);
        assertThat(folder.json().path("message").asText()).contains("training_data.type", "mltable");
        HttpJson.Response local = jobs.submitYaml("""
                type: automl
                name: automl-local
                task: classification
                target_column_name: label
                training_data: {type: mltable, path: ./training-mltable-folder}
                """);
        assertThat(local.status()).as(local.text()).isEqualTo(400);
        assertThat(local.json().path("message").asText()).contains("training_data.path", "table data asset");
    }

    @Test
    void tableMistakesAreFoundInTheTablesProfiles() {
        HttpJson.Response noColumn = jobs.submitYaml(document("churn", "target_column_name: churned"));
        assertThat(noColumn.status()).as(noColumn.text()).isEqualTo(400);
        assertThat(noColumn.json().path("message").asText()).contains("target_column_name", "churned", "x1, x2, label");
        HttpJson.Response oneClass = jobs.submitYaml(document("same", "target_column_name: label"));
        assertThat(oneClass.status()).as(oneClass.text()).isEqualTo(400);
        assertThat(oneClass.json().path("message").asText()).contains("one value only", "two classes");
        HttpJson.Response notTable = jobs.submitYaml(document("raw", "target_column_name: label"));
        assertThat(notTable.status()).as(notTable.text()).isEqualTo(400);
        assertThat(notTable.json().path("message").asText()).contains("training_data.path", "uri_file", "not a table");
        HttpJson.Response weight = jobs.submitYaml(document("churn", "target_column_name: label\nweight_column_name: city"));
        assertThat(weight.status()).as(weight.text()).isEqualTo(400);
        assertThat(weight.json().path("message").asText()).contains("weight_column_name", "not numeric");
        HttpJson.Response missing = jobs.submitYaml(document("nope", "target_column_name: label"));
        assertThat(missing.status()).as(missing.text()).isEqualTo(404);
        assertThat(missing.json().path("message").asText()).contains("training_data.path");
        assertThat(http.get("/api/v1/jobs?max_results=10").json().path("jobs")).as("nothing was queued").isEmpty();
    }

    private void refused(String settings, String... messageParts) {
        HttpJson.Response response = jobs.submitYaml(document("churn", "target_column_name: label\n" + settings));
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.json().path("message").asText()).contains(messageParts);
    }

    /** A classification job on {@code table} with {@code settings} (which may override the task and target). */
    private static String document(String table, String settings) {
        String task = settings.contains("task:") ? "" : "task: classification\n";
        return "type: automl\nname: automl-bad\n" + task + settings + "\ntraining_data: {type: mltable, path: azureml:" + table
                + "@latest}\n";
    }

    static JsonNode upload(HttpJson http, String asset, String type, String fileName, String content) {
        HttpJson.Response session = http.post("/api/v1/data-uploads", Map.of());
        assertThat(session.status()).as(session.text()).isEqualTo(201);
        String uploadId = session.json().path("upload_id").asText();
        HttpJson.Response appended = http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/data-uploads/" + uploadId
                + "/files/" + fileName + "?offset=0")).PUT(HttpRequest.BodyPublishers.ofString(content, StandardCharsets.UTF_8)).build());
        assertThat(appended.status()).as(appended.text()).isEqualTo(200);
        HttpJson.Response created = http.post("/api/v1/data", Map.of("name", asset, "type", type, "upload_id", uploadId));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json();
    }
}
