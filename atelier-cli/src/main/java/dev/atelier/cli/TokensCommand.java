package dev.atelier.cli;

import dev.atelier.sdk.ApiToken;
import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.CreatedToken;
import dev.atelier.sdk.TokenRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code atelier tokens ...}: the caller's own API tokens. */
@Command(name = "tokens", description = "Create, list and revoke your API tokens.",
        subcommands = {TokensCommand.CreateCommand.class, TokensCommand.ListCommand.class, TokensCommand.RevokeCommand.class})
final class TokensCommand {

    @Command(name = "create", description = "Create an API token and print it; it is shown only this once.")
    static final class CreateCommand extends ClientCommand {
        @Parameters(paramLabel = "NAME", description = "What the token is for, such as ci or laptop.")
        String name;

        @Option(names = "--expires-in", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Valid for this many days, such as 30d or 1d (default: no expiry).")
        Optional<Duration> expiresIn = Optional.empty();

        @Option(names = {"-w", "--workspace"}, paramLabel = "NAME", description = "Restrict the token to this workspace.")
        Optional<String> restrictedTo = Optional.empty();

        @Option(names = "--read-only", description = "Allow the token only to read.")
        boolean readOnly;

        @Override
        void run(AtelierClient client, Output out) {
            Optional<Integer> days = expiresIn.map(this::wholeDays);
            CreatedToken created = client.tokens().create(new TokenRequest(name, days, restrictedTo, readOnly));
            ApiToken token = created.token();
            Table table = Table.details()
                    .row("Token:", created.secret())
                    .row("Id:", token.id())
                    .row("Name:", token.name())
                    .row("Workspace:", token.workspace().orElse("(all)"))
                    .row("Read-only:", Output.yesNo(token.readOnly()))
                    .row("Expires:", token.expiresAt().isPresent() ? Output.time(token.expiresAt()) : "never");
            out.print(token.json(), table, Table.details().row("Store the token now: it will not be shown again."));
        }

        private int wholeDays(Duration duration) {
            if (duration.isZero() || !duration.equals(Duration.ofDays(duration.toDays())) || duration.toDays() > Integer.MAX_VALUE) {
                throw usageError("Invalid value for option '--expires-in': tokens expire after a whole number of days, such as 30d");
            }
            return (int) duration.toDays();
        }
    }

    @Command(name = "list", description = "List your API tokens (never their secrets).")
    static final class ListCommand extends ClientCommand {
        @Override
        void run(AtelierClient client, Output out) {
            List<ApiToken> tokens = client.tokens().list();
            Table table = Table.withHeaders("ID", "NAME", "WORKSPACE", "READ-ONLY", "EXPIRES", "CREATED");
            tokens.forEach(token -> table.row(token.id(), token.name(), token.workspace().orElse("(all)"), Output.yesNo(token.readOnly()),
                    token.expiresAt().isPresent() ? Output.time(token.expiresAt()) : "never", Output.time(token.createdAt())));
            out.print(tokens.stream().map(ApiToken::json).toList(), table);
        }
    }

    @Command(name = "revoke", description = "Revoke an API token: it stops working at once.")
    static final class RevokeCommand extends ClientCommand {
        @Parameters(paramLabel = "ID", description = "The token's id, as 'atelier tokens list' shows it.")
        String id;

        @Override
        void run(AtelierClient client, Output out) {
            client.tokens().revoke(id);
            out.print(Output.mapper().createObjectNode(), "Revoked token " + id + ".");
        }
    }
}
