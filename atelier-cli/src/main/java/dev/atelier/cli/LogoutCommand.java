package dev.atelier.cli;

import dev.atelier.api.AtelierException;
import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.Credentials;
import dev.atelier.sdk.CredentialsFile;
import dev.atelier.sdk.ServerUnreachableException;
import picocli.CommandLine.Command;

import java.util.Optional;

/** {@code atelier logout}: forgets the token stored for the server and revokes it there when it can. */
@Command(name = "logout", description = "Remove the token 'atelier login' stored for the server, and revoke it on the server "
        + "when it is reachable.")
final class LogoutCommand extends ClientCommand {
    @Override
    void run(AtelierClient client, Output out) {
        CredentialsFile file = CredentialsFile.located(environment().variables());
        Optional<CredentialsFile.StoredToken> removed = file.remove(client.baseUrl());
        boolean revoked = removed.map(token -> revokeQuietly(client.baseUrl(), token)).orElse(false);
        String message = removed.isEmpty() ? "Not logged in to " + client.baseUrl() + "."
                : "Logged out of " + client.baseUrl() + (revoked ? "; the token is revoked." : "; the token could not be revoked "
                        + "on the server (revoke it later with 'atelier tokens revoke " + removed.get().tokenId() + "').");
        out.print(Output.mapper().createObjectNode()
                .put("server", client.baseUrl())
                .put("logged_out", removed.isPresent())
                .put("revoked", revoked), message);
    }

    /** Revokes a stored token with itself; false when the server cannot be reached or refuses (it may have expired). */
    static boolean revokeQuietly(String serverUrl, CredentialsFile.StoredToken token) {
        if (token.tokenId().isEmpty()) {
            return false;
        }
        try (AtelierClient owner = AtelierClient.builder(serverUrl).credentials(Credentials.token(token.token())).build()) {
            owner.tokens().revoke(token.tokenId());
            return true;
        } catch (AtelierException | ServerUnreachableException e) {
            return false;
        }
    }
}
