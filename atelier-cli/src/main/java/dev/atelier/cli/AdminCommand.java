package dev.atelier.cli;

import dev.atelier.sdk.AtelierClient;
import picocli.CommandLine.Command;

/** {@code atelier admin ...}: server-wide operations for server admins. */
@Command(name = "admin", description = "Server-wide operations (server admins).",
        subcommands = {AdminCommand.RotateMasterKeyCommand.class})
final class AdminCommand {

    @Command(name = "rotate-master-key", description = {"Replace the master key that encrypts secrets and re-encrypt every "
            + "secret under the new one, in one transaction.",
            "Refused when the server takes its key from ATELIER_MASTER_KEY: then the operator rotates it."})
    static final class RotateMasterKeyCommand extends ClientCommand {
        @Override
        void run(AtelierClient client, Output out) {
            long secrets = client.admin().rotateMasterKey();
            out.print(Output.mapper().createObjectNode().put("secrets", secrets),
                    "Rotated the master key; re-encrypted " + secrets + (secrets == 1 ? " secret." : " secrets."));
        }
    }
}
