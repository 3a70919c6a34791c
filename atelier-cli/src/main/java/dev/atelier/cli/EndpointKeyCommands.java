package dev.atelier.cli;

import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.EndpointKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/** {@code atelier endpoint keys|regenerate-key}: the two keys of an endpoint with auth mode {@code key}. */
final class EndpointKeyCommands {
    private EndpointKeyCommands() {
    }

    @Command(name = "keys", aliases = "get-credentials", description = "Print an endpoint's primary and secondary keys (needs write access).")
    static final class KeysCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            EndpointKeys keys = client.endpoints().keys(name);
            out.print(keys, Table.details().row("Primary key:", keys.primaryKey()).row("Secondary key:", keys.secondaryKey()));
        }
    }

    @Command(name = "regenerate-key", aliases = "regenerate-keys", description = "Replace one key of an endpoint with a new one; the other keeps working meanwhile.")
    static final class RegenerateKeyCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--key-type", required = true, paramLabel = "primary|secondary", converter = KeyTypeConverter.class,
                description = "Which key to replace.")
        EndpointKeys.KeyType keyType;

        @Override
        void run(AtelierClient client, Output out) {
            EndpointKeys keys = client.endpoints().regenerateKey(name, keyType);
            out.print(keys, "Regenerated the " + keyType.wireName() + " key of endpoint '" + name + "'. Print it with: atelier endpoint keys "
                    + name);
        }
    }

    /** {@code primary} or {@code secondary}, in any case. */
    static final class KeyTypeConverter implements ITypeConverter<EndpointKeys.KeyType> {
        @Override
        public EndpointKeys.KeyType convert(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "primary" -> EndpointKeys.KeyType.PRIMARY;
                case "secondary" -> EndpointKeys.KeyType.SECONDARY;
                default -> throw new TypeConversionException("expected primary or secondary, got '" + value + "'");
            };
        }
    }
}
