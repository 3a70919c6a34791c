package dev.atelier.cli;

import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.SecretMetadata;
import dev.atelier.sdk.SecretValue;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code atelier secrets ...}: secrets of a workspace. Values are read from standard input or a
 * file, never from an argument, which would stay in the shell's history and in {@code ps}.
 */
@Command(name = "secrets", description = "Create, update, list, show, read and delete the secrets of a workspace.",
        subcommands = {SecretsCommand.CreateCommand.class, SecretsCommand.UpdateCommand.class, SecretsCommand.ListCommand.class,
                SecretsCommand.ShowCommand.class, SecretsCommand.GetCommand.class, SecretsCommand.DeleteCommand.class})
final class SecretsCommand {

    /** Where a secret's value comes from: exactly one of standard input or a file. */
    static final class ValueSource {
        @Option(names = "--value-stdin", required = true,
                description = "Read the value from standard input (one trailing line break is dropped).")
        boolean stdin;

        @Option(names = "--value-file", required = true, paramLabel = "FILE", description = "Read the value from a file, byte for byte.")
        Path file;
    }

    /** A command that sends a secret's value. */
    abstract static class ValueCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @ArgGroup(exclusive = true, multiplicity = "1")
        ValueSource source;

        @Option(names = {"-d", "--description"}, paramLabel = "TEXT", description = "What the secret is for.")
        Optional<String> description = Optional.empty();

        final String value() {
            String value = source.stdin ? environment().readStdin() : readFile(source.file);
            if (value.isEmpty()) {
                throw usageError("The secret's value is empty");
            }
            return value;
        }

        private String readFile(Path file) {
            try {
                return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            } catch (CharacterCodingException e) {
                throw usageError("Invalid value for option '--value-file': " + file + " is not UTF-8 text");
            } catch (IOException e) {
                throw usageError("Invalid value for option '--value-file': cannot read " + file + " (" + e.getMessage() + ")");
            }
        }
    }

    @Command(name = "create", description = "Create a secret.")
    static final class CreateCommand extends ValueCommand {
        @Override
        void run(AtelierClient client, Output out) {
            SecretMetadata secret = client.secrets().create(name, value(), description);
            out.print(secret.json(), "Created secret '" + secret.name() + "' (version " + secret.version() + ") in workspace '"
                    + workspace + "'.");
        }
    }

    @Command(name = "update", description = "Store a new version of a secret's value.")
    static final class UpdateCommand extends ValueCommand {
        @Override
        void run(AtelierClient client, Output out) {
            SecretMetadata secret = client.secrets().update(name, value(), description);
            out.print(secret.json(), "Updated secret '" + secret.name() + "' to version " + secret.version() + ".");
        }
    }

    @Command(name = "list", description = "List the secrets of the workspace (names and metadata, not values).")
    static final class ListCommand extends WorkspaceScopedCommand {
        @Override
        void run(AtelierClient client, Output out) {
            List<SecretMetadata> secrets = client.secrets().list();
            Table table = Table.withHeaders("NAME", "VERSION", "DESCRIPTION", "CREATED BY", "UPDATED");
            secrets.forEach(secret -> table.row(secret.name(), secret.version(), secret.description(), secret.createdBy(),
                    Output.time(secret.updatedAt())));
            out.print(secrets.stream().map(SecretMetadata::json).toList(), table);
        }
    }

    @Command(name = "show", description = "Show a secret's metadata, not its value.")
    static final class ShowCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            SecretMetadata secret = client.secrets().get(name);
            out.print(secret.json(), Table.details()
                    .row("Name:", secret.name())
                    .row("Version:", secret.version())
                    .row("Description:", secret.description())
                    .row("Created by:", secret.createdBy())
                    .row("Created:", Output.time(secret.createdAt()))
                    .row("Updated:", Output.time(secret.updatedAt())));
        }
    }

    @Command(name = "get", description = "Print a secret's value (the read is recorded in the audit log).")
    static final class GetCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            SecretValue secret = client.secrets().value(name);
            out.print(Output.mapper().createObjectNode().put("name", secret.name()).put("version", secret.version())
                    .put("value", secret.value()), secret.value());
        }
    }

    @Command(name = "delete", description = "Delete a secret and all its versions.")
    static final class DeleteCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            client.secrets().delete(name);
            out.print(Output.mapper().createObjectNode(), "Deleted secret '" + name + "'.");
        }
    }
}
