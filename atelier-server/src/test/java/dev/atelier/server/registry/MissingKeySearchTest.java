package dev.atelier.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.atelier.server.registry.ModelFixture.API;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every filter operator of the four MLflow searches (runs, experiments, registered models, model
 * versions) on an entity that has the key and on one that lacks it, with the answer MLflow 2.22's SQL
 * store gives (mlflow/store/tracking/sqlalchemy_store.py, mlflow/store/model_registry/sqlalchemy_store.py):
 * a comparison on a metric, param, tag or dataset joins that table, so an entity lacking the key never
 * matches, even {@code !=}; a null attribute (a running run's end_time) matches no comparison; operators
 * the grammar does not list for the kind ({@code IN} on tags and params, {@code IS NULL}) are 400
 * INVALID_PARAMETER_VALUE. The one exception is the registry's prompt tag: comparisons on
 * {@code mlflow.prompt.is_prompt} other than {@code = 'true'} / {@code != 'false'} are dropped and prompts
 * left out, so models lacking the tag match {@code != 'true'}.
 */
class MissingKeySearchTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final HttpJson http = server.http();
    private static final String PROMPT = "tags.`mlflow.prompt.is_prompt`";
    /** Each case: the search, the filter (ANDed to one scoping the search to this test's entities), MLflow's answer; null is a 400. */
    private static final List<Case> CASES = List.of(
            new Case(Kind.RUNS, "metrics.m = 1", List.of("has")),
            new Case(Kind.RUNS, "metrics.m != 1", List.of()),
            new Case(Kind.RUNS, "metrics.m != 2", List.of("has")),
            new Case(Kind.RUNS, "metrics.m > 0", List.of("has")),
            new Case(Kind.RUNS, "metrics.m >= 1", List.of("has")),
            new Case(Kind.RUNS, "metrics.m < 2", List.of("has")),
            new Case(Kind.RUNS, "metrics.m <= 1", List.of("has")),
            new Case(Kind.RUNS, "params.p = 'a'", List.of("has")),
            new Case(Kind.RUNS, "params.p != 'b'", List.of("has")),
            new Case(Kind.RUNS, "params.p LIKE '%'", List.of("has")),
            new Case(Kind.RUNS, "params.p ILIKE 'A'", List.of("has")),
            new Case(Kind.RUNS, "params.p IN ('a')", null),
            new Case(Kind.RUNS, "params.p NOT IN ('b')", null),
            new Case(Kind.RUNS, "tags.t = 'a'", List.of("has")),
            new Case(Kind.RUNS, "tags.t != 'b'", List.of("has")),
            new Case(Kind.RUNS, "tags.t LIKE '%'", List.of("has")),
            new Case(Kind.RUNS, "tags.t ILIKE 'A'", List.of("has")),
            new Case(Kind.RUNS, "tags.t IN ('a')", null),
            new Case(Kind.RUNS, "tags.t IS NULL", null),
            new Case(Kind.RUNS, "metrics.m IS NOT NULL", null),
            new Case(Kind.RUNS, "attributes.end_time > 0", List.of("has")),
            new Case(Kind.RUNS, "attributes.end_time != 0", List.of("has")),
            new Case(Kind.RUNS, "attributes.end_time < 99999999999999", List.of("has")),
            new Case(Kind.RUNS, "attributes.run_name != 'zzz'", List.of("has", "lacks")),
            new Case(Kind.RUNS, "attributes.run_id NOT IN ('zzz')", List.of("has", "lacks")),
            new Case(Kind.RUNS, "datasets.name != 'zzz'", List.of()),
            new Case(Kind.RUNS, "datasets.name NOT IN ('zzz')", List.of()),
            new Case(Kind.EXPERIMENTS, "tags.t = 'a'", List.of("mk-has")),
            new Case(Kind.EXPERIMENTS, "tags.t != 'b'", List.of("mk-has")),
            new Case(Kind.EXPERIMENTS, "tags.t LIKE '%'", List.of("mk-has")),
            new Case(Kind.EXPERIMENTS, "tags.t ILIKE 'A'", List.of("mk-has")),
            new Case(Kind.EXPERIMENTS, "tags.t IN ('a')", null),
            new Case(Kind.EXPERIMENTS, "tags.t IS NULL", null),
            new Case(Kind.MODELS, "name != 'zzz'", List.of("mk-has", "mk-lacks", "mk-not-prompt")),
            new Case(Kind.MODELS, "tags.t = 'a'", List.of("mk-has")),
            new Case(Kind.MODELS, "tags.t != 'b'", List.of("mk-has")),
            new Case(Kind.MODELS, "tags.t LIKE '%'", List.of("mk-has")),
            new Case(Kind.MODELS, "tags.t ILIKE 'A'", List.of("mk-has")),
            new Case(Kind.MODELS, "tags.t IN ('a')", null),
            new Case(Kind.MODELS, "tags.t IS NULL", null),
            new Case(Kind.MODELS, PROMPT + " != 'true'", List.of("mk-has", "mk-lacks", "mk-not-prompt")),
            new Case(Kind.MODELS, PROMPT + " = 'false'", List.of("mk-has", "mk-lacks", "mk-not-prompt")),
            new Case(Kind.MODELS, PROMPT + " LIKE '%'", List.of("mk-has", "mk-lacks", "mk-not-prompt")),
            new Case(Kind.MODELS, "tags.t != 'b' AND " + PROMPT + " != 'true'", List.of("mk-has")),
            new Case(Kind.MODELS, PROMPT + " = 'true'", List.of("mk-prompt")),
            new Case(Kind.MODELS, PROMPT + " != 'false'", List.of("mk-prompt")),
            new Case(Kind.VERSIONS, "name != 'zzz'", List.of("mk-has/1", "mk-has/2")),
            new Case(Kind.VERSIONS, "tags.t = 'a'", List.of("mk-has/1")),
            new Case(Kind.VERSIONS, "tags.t != 'b'", List.of("mk-has/1")),
            new Case(Kind.VERSIONS, "tags.t LIKE '%'", List.of("mk-has/1")),
            new Case(Kind.VERSIONS, "tags.t ILIKE 'A'", List.of("mk-has/1")),
            new Case(Kind.VERSIONS, "tags.t IN ('a')", null),
            new Case(Kind.VERSIONS, "version_number != 7", List.of("mk-has/1", "mk-has/2")),
            new Case(Kind.VERSIONS, "run_id NOT IN ('zzz')", null),
            new Case(Kind.VERSIONS, PROMPT + " != 'true'", List.of("mk-has/1", "mk-has/2")),
            new Case(Kind.VERSIONS, PROMPT + " = 'true'", List.of("mk-prompt/1")));

    private static String experimentId;

    enum Kind { RUNS, EXPERIMENTS, MODELS, VERSIONS }

    record Case(Kind kind, String filter, List<String> expected) {
    }

    @BeforeAll
    static void createEntitiesWithAndWithoutTheKeys() {
        experimentId = http.post(API + "experiments/create", Map.of("name", "mk-has",
                "tags", List.of(Map.of("key", "t", "value", "a")))).json().get("experiment_id").asText();
        http.post(API + "experiments/create", Map.of("name", "mk-lacks"));
        String has = http.post(API + "runs/create", Map.of("experiment_id", experimentId, "run_name", "has")).json().at("/run/info/run_id").asText();
        http.post(API + "runs/create", Map.of("experiment_id", experimentId, "run_name", "lacks"));
        assertThat(http.post(API + "runs/log-batch", Map.of("run_id", has,
                "metrics", List.of(Map.of("key", "m", "value", 1.0, "timestamp", 1, "step", 0)),
                "params", List.of(Map.of("key", "p", "value", "a")),
                "tags", List.of(Map.of("key", "t", "value", "a")))).status()).isEqualTo(200);
        assertThat(http.post(API + "runs/update", Map.of("run_id", has, "status", "FINISHED", "end_time", 5)).status()).isEqualTo(200);

        http.post(API + "registered-models/create", Map.of("name", "mk-has", "tags", List.of(Map.of("key", "t", "value", "a"))));
        http.post(API + "registered-models/create", Map.of("name", "mk-lacks"));
        http.post(API + "registered-models/create", Map.of("name", "mk-prompt",
                "tags", List.of(Map.of("key", "mlflow.prompt.is_prompt", "value", "true"))));
        http.post(API + "registered-models/create", Map.of("name", "mk-not-prompt",
                "tags", List.of(Map.of("key", "mlflow.prompt.is_prompt", "value", "false"))));
        String source = new ModelFixture(http).logModel("mk-models", "model");
        assertThat(http.post(API + "model-versions/create", Map.of("name", "mk-has", "source", source,
                "tags", List.of(Map.of("key", "t", "value", "a")))).status()).isEqualTo(200);
        assertThat(http.post(API + "model-versions/create", Map.of("name", "mk-has", "source", source)).status()).isEqualTo(200);
        assertThat(http.post(API + "model-versions/create", Map.of("name", "mk-prompt", "source", source,
                "tags", List.of(Map.of("key", "mlflow.prompt.is_prompt", "value", "true")))).status()).isEqualTo(200);
    }

    @Test
    void everyOperatorOnAMissingKeyAnswersAsMlflowsSqlStore() {
        List<String> mismatches = new ArrayList<>();
        for (Case c : CASES) {
            HttpJson.Response response = search(c.kind(), c.filter());
            if (c.expected() == null) {
                if (response.status() != 400 || !"INVALID_PARAMETER_VALUE".equals(response.errorCode())) {
                    mismatches.add(c + ": expected 400 INVALID_PARAMETER_VALUE, got " + response.status() + " " + response.text());
                }
                continue;
            }
            if (response.status() != 200) {
                mismatches.add(c + ": " + response.status() + " " + response.text());
                continue;
            }
            List<String> found = names(c.kind(), response.json());
            if (!found.stream().sorted().toList().equals(c.expected().stream().sorted().toList())) {
                mismatches.add(c + ": found " + found);
            }
        }
        assertThat(mismatches).isEmpty();
    }

    private static HttpJson.Response search(Kind kind, String filter) {
        return switch (kind) {
            case RUNS -> http.post(API + "runs/search", Map.of("experiment_ids", List.of(experimentId), "filter", filter));
            case EXPERIMENTS -> http.post(API + "experiments/search", Map.of("filter", "name LIKE 'mk-%' AND " + filter));
            case MODELS -> http.get(API + "registered-models/search?filter=" + encode("name LIKE 'mk-%' AND " + filter));
            case VERSIONS -> http.get(API + "model-versions/search?filter=" + encode("name LIKE 'mk-%' AND " + filter));
        };
    }

    private static List<String> names(Kind kind, JsonNode answer) {
        List<String> names = new ArrayList<>();
        switch (kind) {
            case RUNS -> answer.path("runs").forEach(run -> names.add(run.at("/info/run_name").asText()));
            case EXPERIMENTS -> answer.path("experiments").forEach(experiment -> names.add(experiment.get("name").asText()));
            case MODELS -> answer.path("registered_models").forEach(model -> names.add(model.get("name").asText()));
            case VERSIONS -> answer.path("model_versions").forEach(version ->
                    names.add(version.get("name").asText() + "/" + version.get("version").asText()));
        }
        return names;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
