package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.EndpointKeys;
import dev.atelier.sdk.ServingDocuments;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code atelier batch-endpoint ...}: batch endpoints (docs/batch-endpoints.md), which score a data asset offline in
 * mini-batches as a job whose output is registered as a data asset.
 */
@Command(name = "batch-endpoint", description = "Create, list, show, update, delete batch endpoints; invoke one, list its jobs, "
        + "read or regenerate its keys.",
        subcommands = {BatchEndpointCommand.CreateCommand.class, BatchEndpointCommand.ListCommand.class, BatchEndpointCommand.ShowCommand.class,
                BatchEndpointCommand.UpdateCommand.class, BatchEndpointCommand.DeleteCommand.class, BatchEndpointCommand.InvokeCommand.class,
                BatchEndpointCommand.ListJobsCommand.class, BatchEndpointCommand.GetCredentialsCommand.class,
                BatchEndpointCommand.RegenerateKeysCommand.class})
final class BatchEndpointCommand {

    /** Reads a YAML (or JSON) document file; a missing or malformed file is a usage error. */
    static ObjectNode readDocument(ClientCommand command, Path file) {
        if (!Files.isRegularFile(file)) {
            throw command.usageError("Invalid value for option '--file': " + file + " is not a file");
        }
        try {
            return ServingDocuments.endpoint(file);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw command.usageError(e.getMessage());
        }
    }

    static Table endpointDetails(JsonNode endpoint) {
        return Table.details()
                .row("Name:", endpoint.path("name").asText())
                .row("Invoke URI:", endpoint.path("scoring_uri").asText())
                .row("Auth mode:", endpoint.path("auth_mode").asText())
                .row("Default deployment:", endpoint.path("defaults").path("deployment_name").asText(""))
                .row("Deployments:", String.join(", ", Output.mapper().convertValue(endpoint.path("deployments"), String[].class)))
                .row("Description:", endpoint.path("description").asText())
                .row("Tags:", ServingTables.tags(endpoint.path("tags")))
                .row("Created:", ServingTables.time(endpoint.path("created_at")));
    }

    static String progress(JsonNode job) {
        JsonNode batches = job.path("result").path("mini_batches");
        return batches.isMissingNode() ? "" : batches.path("done").asLong() + "/" + batches.path("total").asLong() + " done, "
                + batches.path("failed").asLong() + " failed, " + batches.path("retried").asLong() + " retried";
    }

    @Command(name = "create", description = "Create a batch endpoint from a YAML file (name, description, auth_mode, tags).")
    static final class CreateCommand extends WorkspaceScopedCommand {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The endpoint's YAML file.")
        Path file;

        @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "The endpoint's name (default: the file's name).")
        Optional<String> name = Optional.empty();

        @Mixin
        SetOverrides overrides;

        @Override
        void run(AtelierClient client, Output out) {
            ObjectNode document = readDocument(this, file);
            name.ifPresent(value -> document.put("name", value));
            overrides.applyTo(this, document);
            JsonNode endpoint = client.batchEndpoints().create(document);
            out.print(endpoint, "Created batch endpoint '" + endpoint.path("name").asText() + "'. Add a deployment with: atelier "
                    + "batch-deployment create -f deployment.yml --set-default");
        }
    }

    @Command(name = "list", description = "List the workspace's batch endpoints.")
    static final class ListCommand extends WorkspaceScopedCommand {
        @Override
        void run(AtelierClient client, Output out) {
            List<JsonNode> endpoints = client.batchEndpoints().list();
            Table table = Table.withHeaders("NAME", "AUTH MODE", "DEFAULT DEPLOYMENT", "DEPLOYMENTS", "DESCRIPTION");
            endpoints.forEach(endpoint -> table.row(endpoint.path("name").asText(), endpoint.path("auth_mode").asText(),
                    endpoint.path("defaults").path("deployment_name").asText(""), endpoint.path("deployments").size(),
                    endpoint.path("description").asText()));
            out.print(endpoints, table);
        }
    }

    @Command(name = "show", description = "Show a batch endpoint: its default deployment and deployments.")
    static final class ShowCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            JsonNode endpoint = client.batchEndpoints().get(name);
            out.print(endpoint, endpointDetails(endpoint));
        }
    }

    @Command(name = "update", description = "Change a batch endpoint's description, tags or default deployment.")
    static final class UpdateCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "A YAML file of the fields to change.")
        Optional<Path> file = Optional.empty();

        @Option(names = "--default-deployment", paramLabel = "DEPLOYMENT", description = "The deployment invoke uses unless told another.")
        Optional<String> defaultDeployment = Optional.empty();

        @Mixin
        SetOverrides overrides;

        @Option(names = {"-d", "--description"}, paramLabel = "TEXT")
        Optional<String> description = Optional.empty();

        @Override
        void run(AtelierClient client, Output out) {
            ObjectNode changes = file.map(path -> readDocument(this, path)).orElseGet(() -> Output.mapper().createObjectNode());
            changes.remove("name");
            defaultDeployment.ifPresent(value -> changes.putObject("defaults").put("deployment_name", value));
            description.ifPresent(value -> changes.put("description", value));
            overrides.applyTo(this, changes);
            JsonNode endpoint = client.batchEndpoints().update(name, changes);
            out.print(endpoint, endpointDetails(endpoint));
        }
    }

    @Command(name = "delete", description = "Delete a batch endpoint and its deployments (the jobs it started stay).")
    static final class DeleteCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            client.batchEndpoints().delete(name);
            out.print(Output.mapper().createObjectNode().put("deleted", true).put("name", name), "Deleted batch endpoint '" + name + "'.");
        }
    }

    @Command(name = "invoke", description = "Start a batch scoring job over a data asset, a datastore path, or a local file or folder "
            + "(uploaded first as a version of <endpoint>-input), and print the job.")
    static final class InvokeCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME", description = "The batch endpoint.")
        String name;

        @Option(names = {"-i", "--input"}, required = true, paramLabel = "INPUT",
                description = "azureml:<data>@latest, <data>:<version>, datastore://<store>/<path>, or a local file or folder.")
        String input;

        @Option(names = "--input-type", paramLabel = "TYPE", converter = InputTypeConverter.class,
                description = "uri_folder, uri_file, or mltable (tabular input: a scoring script gets rows); default: the data's own type "
                        + "(a table data asset is tabular).")
        Optional<String> inputType = Optional.empty();

        @Option(names = {"-d", "--deployment"}, paramLabel = "DEPLOYMENT", description = "The deployment (default: the endpoint's default).")
        Optional<String> deployment = Optional.empty();

        @Option(names = "--output-name", paramLabel = "NAME", description = "The data asset the output is registered as "
                + "(default: <endpoint>-predictions).")
        Optional<String> outputName = Optional.empty();

        @Option(names = "--experiment-name", paramLabel = "NAME", description = "The experiment of the job's run (default: the endpoint's name).")
        Optional<String> experimentName = Optional.empty();

        @Override
        void run(AtelierClient client, Output out) {
            JsonNode job = client.batchEndpoints().invoke(name, input, inputType, deployment, outputName, experimentName, (done, total) -> { });
            out.print(job, "Started batch scoring job '" + job.path("name").asText() + "' (" + job.path("status").asText()
                    + "). Follow it with: atelier job show " + job.path("name").asText());
        }
    }

    @Command(name = "list-jobs", description = "List the jobs a batch endpoint started, newest first, with their progress.")
    static final class ListJobsCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            List<JsonNode> jobs = client.batchEndpoints().listJobs(name);
            Table table = Table.withHeaders("NAME", "STATUS", "MINI-BATCHES", "OUTPUT", "CREATED");
            jobs.forEach(job -> table.row(job.path("name").asText(), job.path("status").asText(), progress(job),
                    job.path("result").path("output").asText(""), ServingTables.time(job.path("created_at"))));
            out.print(jobs, table);
        }
    }

    /** {@code uri_folder}, {@code uri_file} or {@code mltable}, as Azure's {@code --input-type}. */
    static final class InputTypeConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String type = value.strip().toLowerCase(Locale.ROOT);
            if (!List.of("uri_folder", "uri_file", "mltable").contains(type)) {
                throw new TypeConversionException("expected uri_folder, uri_file or mltable, got '" + value + "'");
            }
            return type;
        }
    }

    @Command(name = "get-credentials", description = "Print the primary and secondary keys of a batch endpoint with auth_mode key "
            + "(needs write access).")
    static final class GetCredentialsCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            EndpointKeys keys = client.batchEndpoints().keys(name);
            out.print(keys, Table.details().row("Primary key:", keys.primaryKey()).row("Secondary key:", keys.secondaryKey()));
        }
    }

    @Command(name = "regenerate-keys", description = "Replace one key of a batch endpoint with a new one; the other keeps working "
            + "meanwhile.")
    static final class RegenerateKeysCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--key-type", paramLabel = "primary|secondary", converter = EndpointKeyCommands.KeyTypeConverter.class,
                description = "Which key to replace (default: primary, as Azure's).")
        EndpointKeys.KeyType keyType = EndpointKeys.KeyType.PRIMARY;

        @Override
        void run(AtelierClient client, Output out) {
            EndpointKeys keys = client.batchEndpoints().regenerateKey(name, keyType);
            out.print(keys, "Regenerated the " + keyType.wireName() + " key of batch endpoint '" + name + "'. Print it with: atelier "
                    + "batch-endpoint get-credentials " + name);
        }
    }
}
