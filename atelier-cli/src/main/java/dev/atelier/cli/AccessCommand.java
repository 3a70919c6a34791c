package dev.atelier.cli;

import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.Role;
import dev.atelier.sdk.RoleAssignment;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

import java.util.List;

/** {@code atelier workspace access ...}: who holds which role in a workspace. */
@Command(name = "access", description = "List, grant and revoke roles in a workspace.",
        subcommands = {AccessCommand.ListCommand.class, AccessCommand.GrantCommand.class, AccessCommand.RevokeCommand.class})
final class AccessCommand {

    @Command(name = "list", description = "List who holds which role in the workspace.")
    static final class ListCommand extends WorkspaceScopedCommand {
        @Override
        void run(AtelierClient client, Output out) {
            List<RoleAssignment> assignments = client.access().list();
            Table table = Table.withHeaders("USERNAME", "ROLE");
            assignments.forEach(assignment -> table.row(assignment.username(), assignment.role()));
            out.print(assignments.stream().map(RoleAssignment::json).toList(), table);
        }
    }

    @Command(name = "grant", description = "Give a user a role in the workspace, replacing the role they had.")
    static final class GrantCommand extends WorkspaceScopedCommand {
        @Parameters(index = "0", paramLabel = "USER")
        String username;

        @Parameters(index = "1", paramLabel = "ROLE", converter = RoleConverter.class,
                description = "Owner, Contributor, Data Scientist, Compute Operator or Reader, in any case; "
                        + "data-scientist and compute-operator work too.")
        Role role;

        @Override
        void run(AtelierClient client, Output out) {
            client.access().grant(username, role);
            out.print(Output.mapper().createObjectNode().put("username", username).put("role", role.wireName()),
                    "Granted " + role.wireName() + " in workspace '" + workspace + "' to '" + username + "'.");
        }
    }

    @Command(name = "revoke", description = "Take away a user's role in the workspace.")
    static final class RevokeCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "USER")
        String username;

        @Override
        void run(AtelierClient client, Output out) {
            client.access().revoke(username);
            out.print(Output.mapper().createObjectNode(), "Revoked the role of '" + username + "' in workspace '" + workspace + "'.");
        }
    }

    /** Reads roles as {@link Role#parse} does; a role it does not know is a usage error naming the roles. */
    static final class RoleConverter implements ITypeConverter<Role> {
        @Override
        public Role convert(String value) {
            try {
                return Role.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
