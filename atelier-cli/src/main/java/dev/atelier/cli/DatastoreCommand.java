package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.DatastoreClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Map;
import java.util.Optional;

/**
 * {@code atelier datastore ...}: named connections to storage (docs/data.md). S3 credentials are
 * given as the names of workspace secrets, never as values.
 */
@Command(name = "datastore", description = "Register, list, show and delete datastores (local folders, S3 buckets).",
        subcommands = {DatastoreCommand.CreateCommand.class, DatastoreCommand.ListCommand.class, DatastoreCommand.ShowCommand.class,
                DatastoreCommand.DeleteCommand.class})
final class DatastoreCommand {

    @Command(name = "create", description = "Register a datastore; an S3 bucket must be listable with the given credentials.")
    static final class CreateCommand extends WorkspaceScopedCommand {
        @Option(names = "--name", required = true, paramLabel = "NAME")
        String name;

        @Option(names = "--type", required = true, paramLabel = "TYPE", description = "local or s3.")
        String type;

        @Option(names = "--root", paramLabel = "DIR", description = "local: the folder on the server host.")
        Optional<String> root = Optional.empty();

        @Option(names = "--bucket", paramLabel = "BUCKET", description = "s3: the bucket.")
        Optional<String> bucket = Optional.empty();

        @Option(names = "--endpoint", paramLabel = "URL", description = "s3: the service's URL (default: AWS).")
        Optional<String> endpoint = Optional.empty();

        @Option(names = "--region", paramLabel = "REGION", description = "s3: the region (default: us-east-1).")
        Optional<String> region = Optional.empty();

        @Option(names = "--prefix", paramLabel = "PREFIX", description = "s3: a key prefix inside the bucket.")
        Optional<String> prefix = Optional.empty();

        @Option(names = "--virtual-host-style", description = "s3: address the bucket as a host name instead of a path.")
        boolean virtualHostStyle;

        @Option(names = "--access-key-secret", paramLabel = "SECRET", description = "s3: the workspace secret holding the access key id.")
        Optional<String> accessKeySecret = Optional.empty();

        @Option(names = "--secret-key-secret", paramLabel = "SECRET", description = "s3: the workspace secret holding the secret access key.")
        Optional<String> secretKeySecret = Optional.empty();

        @Option(names = {"-d", "--description"}, paramLabel = "TEXT")
        Optional<String> description = Optional.empty();

        @Override
        void run(AtelierClient client, Output out) {
            ObjectNode request = DatastoreClient.newRequest().put("name", name).put("type", type);
            root.ifPresent(value -> request.put("root", value));
            bucket.ifPresent(value -> request.put("bucket", value));
            endpoint.ifPresent(value -> request.put("endpoint", value));
            region.ifPresent(value -> request.put("region", value));
            prefix.ifPresent(value -> request.put("prefix", value));
            request.put("path_style", !virtualHostStyle);
            accessKeySecret.ifPresent(value -> request.put("access_key_secret", value));
            secretKeySecret.ifPresent(value -> request.put("secret_key_secret", value));
            description.ifPresent(value -> request.put("description", value));
            JsonNode created = client.datastores().create(request);
            out.print(created, "Created datastore '" + created.path("name").asText() + "' (" + created.path("type").asText() + ").");
        }
    }

    @Command(name = "list", description = "List the datastores of the workspace, the default one first.")
    static final class ListCommand extends WorkspaceScopedCommand {
        @Override
        void run(AtelierClient client, Output out) {
            JsonNode list = client.datastores().list();
            Table table = Table.withHeaders("NAME", "TYPE", "WHERE", "DEFAULT");
            list.forEach(store -> table.row(store.path("name").asText(), store.path("type").asText(), where(store),
                    Output.yesNo(store.path("is_default").asBoolean())));
            out.print(list, table);
        }
    }

    @Command(name = "show", description = "Show a datastore.")
    static final class ShowCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            JsonNode store = client.datastores().get(name);
            out.print(store, Table.details()
                    .row("Name:", store.path("name").asText())
                    .row("Type:", store.path("type").asText())
                    .row("Where:", where(store))
                    .row("Description:", store.path("description").asText())
                    .row("Created by:", store.path("created_by").asText()));
        }
    }

    @Command(name = "delete", description = "Delete a datastore's registration (never its files).")
    static final class DeleteCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            client.datastores().delete(name);
            out.print(Map.of("deleted", name), "Deleted datastore '" + name + "'.");
        }
    }

    private static String where(JsonNode store) {
        return switch (store.path("type").asText()) {
            case "local" -> store.path("root").asText();
            case "s3" -> "s3://" + store.path("bucket").asText() + (store.path("prefix").asText().isEmpty() ? ""
                    : "/" + store.path("prefix").asText()) + (store.has("endpoint") ? " at " + store.path("endpoint").asText() : "");
            default -> "the server's artifact storage";
        };
    }
}
