package dev.atelier.workers.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.api.mlmodel.MlModelDirectory;
import dev.atelier.workers.rest.ServerClient;
import dev.atelier.workers.table.TableException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * {@code register_model}: registers a model folder as the next version of a registered model, with the job's token:
 * uploads it as the step run's artifact {@code model/}, creates the registered model when it does not exist, then
 * creates a version whose source is {@code runs:/<run>/model} (lineage to the run), as {@code mlflow.register_model}
 * does. Options: {@code --model}, {@code --name}, {@code --description}. Needs MLFLOW_TRACKING_URI and MLFLOW_RUN_ID.
 */
final class RegisterModel implements Builtin {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> environment;

    RegisterModel(Map<String, String> environment) {
        this.environment = requireNonNull(environment, "environment is null");
    }

    @Override
    public void run(Arguments arguments) {
        Path model = arguments.path("model");
        String name = arguments.text("name");
        String description = arguments.text("description", "");
        arguments.checkAllRead();
        MlModelDirectory.validate(model);
        String runId = environment.get("MLFLOW_RUN_ID");
        if (runId == null || runId.isBlank()) {
            throw new TableException("register_model runs as a pipeline step: MLFLOW_RUN_ID is not set");
        }
        ServerClient client = ServerClient.fromEnvironment(environment);
        client.uploadArtifacts(runId, model, "model");
        try {
            client.get("/api/2.0/mlflow/registered-models/get?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        } catch (ServerClient.ServerException e) {
            if (e.status() != 404) {
                throw e;
            }
            client.post("/api/2.0/mlflow/registered-models/create", JSON.createObjectNode().put("name", name)
                    .put("description", description));
        }
        JsonNode version = client.post("/api/2.0/mlflow/model-versions/create", JSON.createObjectNode().put("name", name)
                .put("source", "runs:/" + runId + "/model").put("run_id", runId).put("description", description))
                .path("model_version");
        System.out.println("register_model: registered " + name + " version " + version.path("version").asText());
    }
}
