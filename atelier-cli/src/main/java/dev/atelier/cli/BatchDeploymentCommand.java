package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.UploadProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code atelier batch-deployment ...}: deployments of batch endpoints (docs/batch-endpoints.md): a model version,
 * optionally a scoring script ({@code code_configuration}, its folder uploaded as a code snapshot), and mini-batch settings.
 */
@Command(name = "batch-deployment", description = "Create, list, show, update, delete deployments of batch endpoints.",
        subcommands = {BatchDeploymentCommand.CreateCommand.class, BatchDeploymentCommand.ListCommand.class,
                BatchDeploymentCommand.ShowCommand.class, BatchDeploymentCommand.UpdateCommand.class, BatchDeploymentCommand.DeleteCommand.class})
final class BatchDeploymentCommand {

    static Table details(JsonNode deployment) {
        JsonNode settings = deployment.path("settings");
        return Table.details()
                .row("Name:", deployment.path("name").asText())
                .row("Endpoint:", deployment.path("endpoint_name").asText())
                .row("Model:", deployment.path("model").asText())
                .row("Scoring script:", deployment.path("code_configuration").path("scoring_script").asText("(none: scored in the server's JVM)"))
                .row("Compute:", deployment.path("compute").asText())
                .row("Instances:", deployment.path("resources").path("instance_count").asText())
                .row("Concurrency per instance:", settings.path("max_concurrency_per_instance").asText())
                .row("Mini-batch size:", settings.path("mini_batch_size").isNull() ? "default" : settings.path("mini_batch_size").asText())
                .row("Error threshold:", settings.path("error_threshold").asText())
                .row("Retries:", settings.path("retry_settings").path("max_retries").asText() + " (timeout "
                        + settings.path("retry_settings").path("timeout").asText() + " s)")
                .row("Output:", settings.path("output_action").asText() + " to " + settings.path("output_file_name").asText());
    }

    @Command(name = "create", description = "Create (or replace) a batch deployment from a YAML file; its code folder is uploaded first.")
    static final class CreateCommand extends WorkspaceScopedCommand {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The deployment's YAML file.")
        Path file;

        @Option(names = {"-e", "--endpoint-name"}, paramLabel = "ENDPOINT", description = "The endpoint (default: the file's endpoint_name).")
        Optional<String> endpointName = Optional.empty();

        @Option(names = "--set-default", description = "Make it the endpoint's default deployment (the first one always is).")
        boolean setDefault;

        @Mixin
        SetOverrides overrides;

        @Override
        void run(AtelierClient client, Output out) {
            if (!Files.isRegularFile(file)) {
                throw usageError("Invalid value for option '--file': " + file + " is not a file");
            }
            ObjectNode document;
            try {
                UploadProgress progress = new UploadProgressBar(spec.commandLine().getErr());
                document = client.batchEndpoints().prepareDeployment(file, progress);
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw usageError(e.getMessage());
            }
            String endpoint = endpointName.or(() -> Optional.ofNullable(document.path("endpoint_name").textValue()))
                    .orElseThrow(() -> usageError("The deployment file " + file + " names no endpoint: add 'endpoint_name:' or give --endpoint-name"));
            document.put("endpoint_name", endpoint);
            overrides.applyTo(this, document);
            JsonNode created = client.batchEndpoints().createDeployment(endpoint, document, setDefault);
            out.print(created, "Created batch deployment '" + created.path("name").asText() + "' of batch endpoint '" + endpoint
                    + "' (model " + created.path("model").asText() + ").");
        }
    }

    @Command(name = "list", description = "List a batch endpoint's deployments.")
    static final class ListCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "ENDPOINT")
        String endpoint;

        @Override
        void run(AtelierClient client, Output out) {
            List<JsonNode> deployments = client.batchEndpoints().listDeployments(endpoint);
            Table table = Table.withHeaders("NAME", "MODEL", "SCRIPT", "COMPUTE", "OUTPUT ACTION");
            deployments.forEach(deployment -> table.row(deployment.path("name").asText(), deployment.path("model").asText(),
                    deployment.path("code_configuration").path("scoring_script").asText(""), deployment.path("compute").asText(),
                    deployment.path("settings").path("output_action").asText()));
            out.print(deployments, table);
        }
    }

    @Command(name = "show", description = "Show a batch deployment and its settings.")
    static final class ShowCommand extends WorkspaceScopedCommand {
        @Parameters(index = "0", paramLabel = "ENDPOINT")
        String endpoint;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            JsonNode deployment = client.batchEndpoints().getDeployment(endpoint, name);
            out.print(deployment, details(deployment));
        }
    }

    @Command(name = "update", description = "Change a batch deployment's description, settings or resources (from a YAML file of them).")
    static final class UpdateCommand extends WorkspaceScopedCommand {
        @Parameters(index = "0", paramLabel = "ENDPOINT")
        String endpoint;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "A YAML file: description, settings, resources.")
        Optional<Path> file = Optional.empty();

        @Option(names = "--mini-batch-size", paramLabel = "N")
        Optional<Integer> miniBatchSize = Optional.empty();

        @Option(names = "--set-default", description = "Make it the endpoint's default deployment.")
        boolean setDefault;

        @Mixin
        SetOverrides overrides;

        @Override
        void run(AtelierClient client, Output out) {
            ObjectNode changes = file.map(path -> BatchEndpointCommand.readDocument(this, path)).orElseGet(() -> Output.mapper().createObjectNode());
            changes.remove("name");
            changes.remove("endpoint_name");
            miniBatchSize.ifPresent(size -> (changes.has("settings") ? (ObjectNode) changes.get("settings") : changes.putObject("settings"))
                    .put("mini_batch_size", size));
            overrides.applyTo(this, changes);
            JsonNode deployment = client.batchEndpoints().updateDeployment(endpoint, name, changes, setDefault);
            out.print(deployment, details(deployment));
        }
    }

    @Command(name = "delete", description = "Delete a batch deployment.")
    static final class DeleteCommand extends WorkspaceScopedCommand {
        @Parameters(index = "0", paramLabel = "ENDPOINT")
        String endpoint;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            client.batchEndpoints().deleteDeployment(endpoint, name);
            out.print(Output.mapper().createObjectNode().put("deleted", true).put("name", name), "Deleted batch deployment '" + name
                    + "' of batch endpoint '" + endpoint + "'.");
        }
    }
}
