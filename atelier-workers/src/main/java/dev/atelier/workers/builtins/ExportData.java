package dev.atelier.workers.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.workers.rest.DataUploads;
import dev.atelier.workers.rest.ServerClient;
import dev.atelier.workers.table.TableException;
import dev.atelier.workers.table.TableFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * {@code export_data}: registers a table as the next version of a {@code table} data asset, uploading its
 * {@code data.csv} through the server's data API with the job's token (the server profiles it), and records the step's
 * run as its producer (lineage {@code output}). Options: {@code --input}, {@code --name}, {@code --description}.
 */
final class ExportData implements Builtin {
    private final Map<String, String> environment;

    ExportData(Map<String, String> environment) {
        this.environment = requireNonNull(environment, "environment is null");
    }

    @Override
    public void run(Arguments arguments) {
        Path input = arguments.path("input");
        String name = arguments.text("name");
        String description = arguments.text("description", "Exported by a pipeline's export_data step");
        arguments.checkAllRead();
        List<Path> files = TableFiles.csvFiles(input);
        if (files.size() != 1) {
            throw new TableException("export_data registers one CSV file; '" + input + "' holds " + files.size());
        }
        if (!Files.isRegularFile(files.get(0))) {
            throw new TableException("no table at '" + input + "'");
        }
        DataUploads uploads = DataUploads.fromEnvironment(environment);
        JsonNode version = uploads.register(name, "table", description, files.get(0));
        String number = version.path("version").asText();
        String runId = environment.get("MLFLOW_RUN_ID");
        if (runId != null && !runId.isBlank()) {
            ServerClient client = ServerClient.fromEnvironment(environment);
            client.post("/api/v1/data/" + name + "/versions/" + number + "/lineage", new ObjectMapper().createObjectNode()
                    .put("run_id", runId).put("direction", "output").put("source", "export_data"));
        }
        System.out.println("export_data: registered data:" + name + ":" + number);
    }
}
