package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.DeploymentClient;
import dev.atelier.sdk.UploadProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code atelier deployment ...}: deployments of an online endpoint (a model version, an optional scoring script
 * and environment, instances and request limits), created from YAML close to Azure ML's.
 */
@Command(name = "deployment", aliases = "online-deployment", description = "Create, update, show, delete deployments of online endpoints and read their logs.",
        subcommands = {DeploymentCommand.CreateCommand.class, DeploymentUpdateCommand.class, DeploymentCommand.ShowCommand.class,
                DeploymentCommand.DeleteCommand.class, DeploymentCommand.LogsCommand.class})
final class DeploymentCommand {

    /** The options of the commands that wait for a deployment to settle. */
    abstract static class WaitingCommand extends WorkspaceScopedCommand {
        @Option(names = "--no-wait", description = "Return once the server accepted the request, without waiting for Succeeded or Failed.")
        boolean noWait;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "20m", converter = DurationConverter.class,
                description = "How long to wait for the deployment to settle (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        /** Reads a deployment file, uploading its code folder with a progress bar on standard error; malformed files are usage errors. */
        final ObjectNode read(AtelierClient client, Path file) {
            if (!Files.isRegularFile(file)) {
                throw usageError("Invalid value for option '--file': " + file + " is not a file");
            }
            try {
                UploadProgress progress = new UploadProgressBar(spec.commandLine().getErr());
                return client.deployments().prepare(file, progress);
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw usageError(e.getMessage());
            }
        }

        /** Waits (unless --no-wait) and prints the deployment; a deployment that failed exits as a server refusal, with its reason. */
        final void finish(AtelierClient client, Output out, JsonNode accepted, String endpoint, String name, String done) {
            JsonNode deployment = accepted;
            if (!noWait && !DeploymentClient.settled(accepted)) {
                ProvisioningProgress progress = new ProvisioningProgress(spec.commandLine().getErr(),
                        "Deployment '" + name + "' of endpoint '" + endpoint + "'");
                try {
                    deployment = client.deployments().awaitSettled(endpoint, name, timeout, progress);
                } finally {
                    progress.done();
                }
            }
            if (DeploymentClient.FAILED.equals(deployment.path("provisioning_state").asText())) {
                throw new AtelierException(ErrorCode.INVALID_STATE, "Deployment '" + name + "' of endpoint '" + endpoint + "' failed: "
                        + DeploymentClient.error(deployment) + " (see: atelier deployment logs " + endpoint + " " + name + ")");
            }
            out.print(deployment, done + " deployment '" + name + "' of endpoint '" + endpoint + "' ("
                    + deployment.path("provisioning_state").asText() + ", model " + ServingTables.model(deployment) + ", "
                    + deployment.path("instance_count").asText() + " instance(s)).");
        }

        /** The endpoint named by the option, else by the file's {@code endpoint_name}. */
        final String endpointOf(Optional<String> given, ObjectNode document, Path file) {
            return given.or(() -> Optional.ofNullable(document.path("endpoint_name").textValue()))
                    .orElseThrow(() -> usageError("The deployment file " + file + " names no endpoint: add 'endpoint_name:' or give --endpoint-name"));
        }
    }

    @Command(name = "create", description = "Create a deployment from a YAML file (its code folder is uploaded first) and wait until "
            + "it succeeds or fails.")
    static final class CreateCommand extends WaitingCommand {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The deployment's YAML file.")
        Path file;

        @Option(names = {"-e", "--endpoint-name"}, paramLabel = "ENDPOINT", description = "The endpoint (default: the file's endpoint_name).")
        Optional<String> endpointName = Optional.empty();

        @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "The deployment's name (default: the file's name).")
        Optional<String> name = Optional.empty();

        @Mixin
        SetOverrides overrides;

        @Override
        void run(AtelierClient client, Output out) {
            ObjectNode document = read(client, file);
            String endpoint = endpointOf(endpointName, document, file);
            name.ifPresent(value -> document.put("name", value));
            overrides.applyTo(this, document);
            if (!document.path("name").isTextual()) {
                throw usageError("The deployment file " + file + " names no deployment: add 'name:' or give --name");
            }
            JsonNode created = client.deployments().create(endpoint, document);
            finish(client, out, created, endpoint, created.path("name").asText(document.path("name").asText()), "Created");
        }
    }

    @Command(name = "show", description = "Show a deployment: model, state, instances, request settings, error.")
    static final class ShowCommand extends WorkspaceScopedCommand {
        @Parameters(index = "0", paramLabel = "ENDPOINT")
        String endpoint;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            JsonNode deployment = client.deployments().get(endpoint, name);
            out.print(deployment, ServingTables.deployment(deployment));
        }
    }

    @Command(name = "delete", description = "Delete a deployment (it must take no traffic).")
    static final class DeleteCommand extends WorkspaceScopedCommand {
        @Parameters(index = "0", paramLabel = "ENDPOINT")
        String endpoint;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            client.deployments().delete(endpoint, name);
            out.print(Output.mapper().createObjectNode().put("endpoint_name", endpoint).put("name", name).put("deleted", true),
                    "Deleted deployment '" + name + "' of endpoint '" + endpoint + "'.");
        }
    }

    @Command(name = "logs", aliases = "get-logs", description = "Print the last log lines of a deployment's instances.")
    static final class LogsCommand extends WorkspaceScopedCommand {
        @Parameters(index = "0", paramLabel = "ENDPOINT")
        String endpoint;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Option(names = "--tail", paramLabel = "N", defaultValue = "100", description = "The last N lines (default: ${DEFAULT-VALUE}).")
        int tail;

        @Override
        void run(AtelierClient client, Output out) {
            if (tail < 1) {
                throw usageError("Invalid value for option '--tail': expected at least 1, got " + tail);
            }
            List<String> lines = client.deployments().logs(endpoint, name, tail);
            ObjectNode json = Output.mapper().createObjectNode();
            lines.forEach(json.putArray("lines")::add);
            out.print(json, lines.isEmpty() ? "No log lines yet." : String.join("\n", lines));
        }
    }
}
