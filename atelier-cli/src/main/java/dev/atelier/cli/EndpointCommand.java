package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.EndpointUpdate;
import dev.atelier.sdk.ServingDocuments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code atelier endpoint ...}: online endpoints (docs/endpoints.md): a stable scoring URL with keys and a traffic
 * split over its deployments.
 */
@Command(name = "endpoint", aliases = "online-endpoint", description = "Create, list, show, update, delete, invoke online endpoints; read their keys and logs.",
        subcommands = {EndpointCommand.CreateCommand.class, EndpointCommand.ListCommand.class, EndpointCommand.ShowCommand.class,
                EndpointCommand.UpdateCommand.class, EndpointCommand.DeleteCommand.class, EndpointKeyCommands.KeysCommand.class,
                EndpointKeyCommands.RegenerateKeyCommand.class, EndpointInvokeCommand.class, EndpointLogsCommand.class,
                EndpointDriftCommand.class})
final class EndpointCommand {

    @Command(name = "create", description = "Create an endpoint from a YAML file (Azure ML style) or from options; options override the file.")
    static final class CreateCommand extends WorkspaceScopedCommand {
        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The endpoint's YAML file: name, auth_mode, description, tags.")
        Optional<Path> file = Optional.empty();

        @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "The endpoint's name (required without --file).")
        Optional<String> name = Optional.empty();

        @Option(names = "--auth-mode", paramLabel = "key|aml_token",
                description = "key: a primary and a secondary key (the default); aml_token: Atelier API tokens.")
        Optional<String> authMode = Optional.empty();

        @Option(names = {"-d", "--description"}, paramLabel = "TEXT")
        Optional<String> description = Optional.empty();

        @Option(names = "--set-tag", paramLabel = "KEY=VALUE", description = "A tag; repeat for more.")
        Map<String, String> tags = new LinkedHashMap<>();

        @Mixin
        SetOverrides overrides;

        @Override
        void run(AtelierClient client, Output out) {
            ObjectNode document = file.map(this::read).orElseGet(() -> Output.mapper().createObjectNode());
            name.ifPresent(value -> document.put("name", value));
            authMode.ifPresent(value -> document.put("auth_mode", value.toLowerCase(Locale.ROOT)));
            description.ifPresent(value -> document.put("description", value));
            if (!tags.isEmpty()) {
                ObjectNode tagNode = document.has("tags") && document.get("tags").isObject()
                        ? (ObjectNode) document.get("tags") : document.putObject("tags");
                tags.forEach(tagNode::put);
            }
            overrides.applyTo(this, document);
            if (!document.path("name").isTextual()) {
                throw usageError(file.isPresent() ? "The endpoint file " + file.get() + " names no endpoint: add 'name:' or give --name"
                        : "Give --file or --name");
            }
            JsonNode endpoint = client.endpoints().create(document);
            out.print(endpoint, "Created endpoint '" + endpoint.path("name").asText() + "' (auth mode " + endpoint.path("auth_mode").asText()
                    + "): " + endpoint.path("scoring_uri").asText() + ". Add a deployment with: atelier deployment create -f deployment.yml --endpoint-name "
                    + endpoint.path("name").asText());
        }

        private ObjectNode read(Path path) {
            if (!Files.isRegularFile(path)) {
                throw usageError("Invalid value for option '--file': " + path + " is not a file");
            }
            try {
                return ServingDocuments.endpoint(path);
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw usageError(e.getMessage());
            }
        }
    }

    @Command(name = "list", description = "List the workspace's endpoints.")
    static final class ListCommand extends WorkspaceScopedCommand {
        @Override
        void run(AtelierClient client, Output out) {
            List<JsonNode> endpoints = client.endpoints().list();
            Table table = Table.withHeaders("NAME", "AUTH MODE", "STATE", "DEPLOYMENTS", "TRAFFIC", "SCORING URI");
            endpoints.forEach(endpoint -> table.row(endpoint.path("name").asText(), endpoint.path("auth_mode").asText(),
                    endpoint.path("provisioning_state").asText(), endpoint.path("deployments").size(),
                    TrafficSplit.describe(ServingTables.weights(endpoint.path("traffic"))), endpoint.path("scoring_uri").asText()));
            out.print(endpoints, table);
        }
    }

    @Command(name = "show", description = "Show an endpoint: scoring URI, auth mode, traffic, and its deployments.")
    static final class ShowCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            JsonNode endpoint = client.endpoints().get(name);
            Table details = Table.details()
                    .row("Name:", endpoint.path("name").asText())
                    .row("Scoring URI:", endpoint.path("scoring_uri").asText())
                    .row("Auth mode:", endpoint.path("auth_mode").asText())
                    .row("State:", endpoint.path("provisioning_state").asText())
                    .row("Description:", endpoint.path("description").asText())
                    .row("Tags:", ServingTables.tags(endpoint.path("tags")))
                    .row("Traffic:", TrafficSplit.describe(ServingTables.weights(endpoint.path("traffic"))))
                    .row("Mirror traffic:", TrafficSplit.describe(ServingTables.weights(endpoint.path("mirror_traffic"))))
                    .row("Created:", ServingTables.time(endpoint.path("created_at")))
                    .row("Updated:", ServingTables.time(endpoint.path("updated_at")));
            out.print(endpoint, details, ServingTables.deployments("Deployments:", endpoint));
        }
    }

    @Command(name = "update", description = "Change an endpoint's traffic split, mirror traffic, description or tags.")
    static final class UpdateCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--traffic", paramLabel = "DEPLOYMENT=PERCENT,...", converter = TrafficSplit.Converter.class,
                description = "The whole traffic split, summing to 100, such as blue=90,green=10.")
        Optional<TrafficSplit> traffic = Optional.empty();

        @Option(names = "--mirror-traffic", paramLabel = "DEPLOYMENT=PERCENT", converter = TrafficSplit.Converter.class,
                description = "A share of requests also sent to a deployment whose answers are discarded, such as green=10 (green=0 stops it).")
        Optional<TrafficSplit> mirror = Optional.empty();

        @Option(names = {"-d", "--description"}, paramLabel = "TEXT")
        Optional<String> description = Optional.empty();

        @Option(names = "--set-tag", paramLabel = "KEY=VALUE", description = "Adds or replaces a tag; repeat for more.")
        Map<String, String> setTags = new LinkedHashMap<>();

        @Option(names = "--remove-tag", paramLabel = "KEY", description = "Removes a tag; repeat for more.")
        List<String> removeTags = List.of();

        @Override
        void run(AtelierClient client, Output out) {
            EndpointUpdate update = EndpointUpdate.none();
            if (traffic.isPresent()) {
                update = update.withTraffic(traffic.get().weights());
            }
            if (mirror.isPresent()) {
                update = update.withMirrorTraffic(mirror.get().weights());
            }
            if (description.isPresent()) {
                update = update.withDescription(description.get());
            }
            if (!setTags.isEmpty() || !removeTags.isEmpty()) {
                Map<String, String> tags = new LinkedHashMap<>();
                client.endpoints().get(name).path("tags").properties().forEach(entry -> tags.put(entry.getKey(), entry.getValue().asText()));
                tags.putAll(setTags);
                removeTags.forEach(tags::remove);
                update = update.withTags(tags);
            }
            if (update.isEmpty()) {
                throw usageError("Nothing to change: give --traffic, --mirror-traffic, --description, --set-tag or --remove-tag");
            }
            JsonNode endpoint = client.endpoints().update(name, update);
            out.print(endpoint, "Updated endpoint '" + name + "' (traffic: " + TrafficSplit.describe(ServingTables.weights(endpoint.path("traffic")))
                    + "; mirror: " + TrafficSplit.describe(ServingTables.weights(endpoint.path("mirror_traffic"))) + ").");
        }
    }

    @Command(name = "delete", description = "Delete an endpoint with all its deployments (asks first unless --yes).")
    static final class DeleteCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
        boolean yes;

        @Override
        void run(AtelierClient client, Output out) {
            if (!yes) {
                int deployments = client.endpoints().get(name).path("deployments").size();
                Optional<String> answer = environment().terminal().readLine("Delete endpoint '" + name + "' and its " + deployments
                        + (deployments == 1 ? " deployment" : " deployments") + "? [y/N] ");
                if (answer.isEmpty()) {
                    throw usageError("Deleting endpoint '" + name + "' needs confirmation: add --yes when there is no terminal");
                }
                if (!answer.get().strip().toLowerCase(Locale.ROOT).startsWith("y")) {
                    out.print(Output.mapper().createObjectNode().put("deleted", false), "Kept endpoint '" + name + "'.");
                    return;
                }
            }
            client.endpoints().delete(name);
            out.print(Output.mapper().createObjectNode().put("name", name).put("deleted", true), "Deleted endpoint '" + name + "'.");
        }
    }
}
