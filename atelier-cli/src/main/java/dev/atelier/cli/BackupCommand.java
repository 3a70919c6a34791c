package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.sdk.AtelierClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code atelier backup --to <folder | s3://bucket/prefix>}: the running server backs itself up (server admins). */
@Command(name = "backup", description = {"Back up the running server: a consistent copy of its database (SQLite's online "
        + "backup, or pg_dump on PostgreSQL), its artifacts (copied; referenced when they are in S3), code snapshots and "
        + "local datastores.",
        "The server writes the backup: --to is a folder on the server's host (new or empty), or s3://bucket/prefix when "
                + "the server's artifact store is S3.",
        "The master key that decrypts secrets is NOT copied unless --include-master-key: keep it apart from the backup, "
                + "or the backup alone reads every secret.",
        "Restore with 'atelier restore --from <folder> --data-dir <new folder>' (server stopped)."})
final class BackupCommand extends ClientCommand {
    @Option(names = "--to", required = true, paramLabel = "FOLDER|S3_URI",
            description = "Absolute folder on the server's host, or s3://bucket/prefix.")
    String to;

    @Option(names = "--include-master-key", description = "Also copy the master key file (the backup then reads every secret: "
            + "store it as carefully as the key).")
    boolean includeMasterKey;

    @Override
    void run(AtelierClient client, Output out) {
        JsonNode manifest = client.admin().backup(to, includeMasterKey);
        Table table = Table.titled("Backed up to " + manifest.path("to").asText() + ":")
                .row("Database:", manifest.path("database").asText())
                .row("Artifacts:", manifest.path("artifacts").asText())
                .row("Files:", manifest.path("files").asLong())
                .row("Bytes:", GcCommand.bytes(manifest.path("bytes").asLong()))
                .row("Master key:", switch (manifest.path("master_key").asText()) {
                    case "included" -> "included (keep this backup as safe as the key)";
                    case "environment" -> "not included: the server takes it from ATELIER_MASTER_KEY; keep that value";
                    default -> "NOT included: keep <data-dir>/master.key apart; without it the secrets cannot be read";
                });
        out.print(manifest, table);
    }
}
