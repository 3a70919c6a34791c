package dev.atelier.cli;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.CreatedToken;
import dev.atelier.sdk.CredentialSources;
import dev.atelier.sdk.Credentials;
import dev.atelier.sdk.CredentialsFile;
import dev.atelier.sdk.CurrentUser;
import dev.atelier.sdk.ServerUnreachableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Optional;

/**
 * {@code atelier login}: checks a user name and password, creates an API token named
 * {@code cli-<hostname>} with them and keeps the token (never the password) in the credentials
 * file, where later commands find it for this server's URL.
 */
@Command(name = "login",
        description = {"Log in to the server: create an API token with your password and store it in the credentials file "
                + "($ATELIER_CONFIG_DIR/credentials, else ~/.atelier/credentials, readable only by you).",
                "Commands then send that token to this server; 'atelier logout' removes and revokes it."})
final class LoginCommand extends ClientCommand {
    @Option(names = {"-u", "--username"}, paramLabel = "NAME",
            description = "Your user name (default: $ATELIER_USERNAME, else asked for).")
    String username;

    @Option(names = "--password-stdin", description = "Read the password from standard input instead of asking for it.")
    boolean passwordStdin;

    @Override
    void run(AtelierClient client, Output out) {
        String fromEnvironment = environment().variables().get(CredentialSources.USERNAME_VARIABLE);
        String name = username != null && !username.isBlank() ? username
                : fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment
                : environment().terminal().readLine("Username: ").map(String::strip).filter(line -> !line.isEmpty())
                        .orElseThrow(() -> usageError("Missing --username (no terminal to ask for it)"));
        String password = passwordStdin ? environment().readStdin()
                : environment().terminal().readPassword("Password for " + name + ": ").map(String::new)
                        .orElseThrow(() -> usageError("No terminal to ask for the password; pipe it with --password-stdin"));
        if (password.isEmpty()) {
            throw usageError("The password is empty");
        }
        CreatedToken created = createToken(client, name, password);
        CredentialsFile file = CredentialsFile.located(environment().variables());
        Optional<CredentialsFile.StoredToken> previous = file.find(client.baseUrl());
        file.store(client.baseUrl(), new CredentialsFile.StoredToken(created.secret(), created.token().id(), name));
        previous.ifPresent(old -> LogoutCommand.revokeQuietly(client.baseUrl(), old));
        out.print(Output.mapper().createObjectNode()
                        .put("username", name)
                        .put("server", client.baseUrl())
                        .put("token_id", created.token().id())
                        .put("token_name", created.token().name())
                        .put("credentials_file", file.path().toString()),
                "Logged in to " + client.baseUrl() + " as " + name + "; token '" + created.token().name() + "' stored in "
                        + file.path() + ".");
    }

    /**
     * Creates the token; when the server refuses because the password must be changed first (a
     * new admin, a reset password), asks for a new one at the terminal, changes it and tries again.
     */
    private CreatedToken createToken(AtelierClient client, String name, String password) {
        String tokenName = "cli-" + environment().hostname();
        try {
            return client.auth().login(name, password, tokenName);
        } catch (AtelierException e) {
            if (e.errorCode() != ErrorCode.PERMISSION_DENIED || !mustChangePassword(client, name, password)) {
                throw e;
            }
        }
        String newPassword = askNewPassword(name);
        try (AtelierClient asUser = AtelierClient.builder(client.baseUrl()).credentials(Credentials.basic(name, password)).build()) {
            asUser.auth().changePassword(password, newPassword);
        }
        return client.auth().login(name, newPassword, tokenName);
    }

    private static boolean mustChangePassword(AtelierClient client, String name, String password) {
        try (AtelierClient asUser = AtelierClient.builder(client.baseUrl()).credentials(Credentials.basic(name, password)).build()) {
            CurrentUser me = asUser.auth().me();
            return me.mustChangePassword();
        } catch (AtelierException | ServerUnreachableException e) {
            return false;
        }
    }

    private String askNewPassword(String name) {
        Terminal terminal = environment().terminal();
        String refused = "The password of '" + name + "' must be changed before logging in; run 'atelier login' in a terminal";
        String first = terminal.readPassword("The password of " + name + " must be changed. New password: ").map(String::new)
                .orElseThrow(() -> usageError(refused));
        String second = terminal.readPassword("New password again: ").map(String::new).orElseThrow(() -> usageError(refused));
        if (!first.equals(second)) {
            throw usageError("The new passwords differ");
        }
        return first;
    }
}
