package dev.atelier.cli;

import dev.atelier.api.Workspace;
import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.AuditEvent;
import dev.atelier.sdk.AuditQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@code atelier audit}: the audit log of a workspace or, with {@code --admin}, of the whole server. */
@Command(name = "audit", description = {"Print the audit log of a workspace (needs the Owner role there), oldest first as the "
        + "server orders it.", "With --admin, the log of every workspace (server admins), narrowed to one with -w."})
final class AuditCommand extends ClientCommand {
    @Option(names = {"-w", "--workspace"}, paramLabel = "NAME", defaultValue = "${env:ATELIER_WORKSPACE:-" + Workspace.DEFAULT + "}",
            description = "Workspace whose log to read (default: $ATELIER_WORKSPACE, else " + Workspace.DEFAULT
                    + "); with --admin, only given explicitly, it narrows the server-wide log.")
    String workspace;

    @Option(names = "--admin", description = "Read the server-wide log (server admins).")
    boolean admin;

    @Option(names = "--since", paramLabel = "TIME", converter = TimeConverter.class,
            description = "Only events at or after: 1h, 7d (that long ago), 2025-01-31T12:00:00Z, 2025-01-31.")
    Optional<Instant> since = Optional.empty();

    @Option(names = "--until", paramLabel = "TIME", converter = TimeConverter.class, description = "Only events before, written as --since.")
    Optional<Instant> until = Optional.empty();

    @Option(names = "--principal", paramLabel = "USER", description = "Only events of this user.")
    Optional<String> principal = Optional.empty();

    @Option(names = "--max", paramLabel = "N", defaultValue = "100", description = "At most this many events (default: ${DEFAULT-VALUE}).")
    int max;

    @Override
    String workspace() {
        return workspace;
    }

    @Override
    void run(AtelierClient client, Output out) {
        if (max < 1) {
            throw usageError("Invalid value for option '--max': must be at least 1, got " + max);
        }
        AuditQuery query = new AuditQuery(since, until, principal, Optional.empty());
        List<AuditEvent> events;
        if (admin) {
            boolean narrowed = spec.commandLine().getParseResult().hasMatchedOption("--workspace");
            events = client.admin().audit().list(narrowed ? query.withWorkspace(workspace) : query, max);
        } else {
            events = client.audit().list(query, max);
        }
        Table table = Table.withHeaders("TIME", "PRINCIPAL", "WORKSPACE", "ACTION", "TARGET", "OUTCOME", "STATUS", "CLIENT");
        events.forEach(event -> table.row(Output.time(event.time()), event.principal(), event.workspace(), event.action(),
                event.target(), event.outcome(), event.status(), event.clientAddress()));
        out.print(events.stream().map(AuditEvent::json).toList(), table);
    }
}
