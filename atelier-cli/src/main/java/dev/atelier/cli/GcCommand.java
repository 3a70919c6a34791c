package dev.atelier.cli;

import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.GcResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** {@code atelier gc}: removes for good what was deleted long enough ago. */
@Command(name = "gc",
        description = {"Remove for good the runs and experiments deleted more than --older-than ago, with their metrics, "
                + "params, tags and artifacts, and print what was freed.",
                "Also removes unfinished uploads and unreferenced snapshot blobs older than the server's --upload-expiry "
                        + "(the server does this every hour too).",
                "Also deletes the audit events older than the server's --audit-retention (365 days by default), "
                        + "whatever --older-than and --workspace say.",
                "Also deletes endpoint metric rows, request logs and finished jobs' folders past the server's retention windows "
                        + "(--retention-endpoint-metrics, --retention-request-logs, --retention-job-files; 30 days by default).",
                "Deleting only marks runs and experiments deleted (MLflow's soft delete); this frees the space."})
final class GcCommand extends ClientCommand {
    @Option(names = "--older-than", paramLabel = "DURATION", defaultValue = "30d", converter = DurationConverter.class,
            description = "Only what was deleted at least this long ago: 30d, 12h, 15m, 0s (default: ${DEFAULT-VALUE}).")
    Duration olderThan;

    @Option(names = {"-w", "--workspace"}, paramLabel = "NAME", description = "Only this workspace (default: every workspace).")
    Optional<String> only = Optional.empty();

    @Override
    void run(AtelierClient client, Output out) {
        GcResult freed = client.gc(olderThan, only);
        String title = "Removed what was deleted more than " + describe(olderThan) + " ago in "
                + only.map(name -> "workspace '" + name + "'").orElse("all workspaces") + ":";
        Table table = Table.titled(title)
                .row("Runs:", freed.runs())
                .row("Experiments:", freed.experiments())
                .row("Metrics:", freed.metrics())
                .row("Params:", freed.params())
                .row("Tags:", freed.tags())
                .row("Artifacts:", bytes(freed.artifactBytes()))
                .row("Audit events:", freed.json().path("audit_events").asLong())
                .row("Expired uploads:", freed.json().path("uploads").path("upload_sessions").asLong())
                .row("Expired snapshot blobs:", freed.json().path("uploads").path("snapshot_blobs").asLong())
                .row("Upload bytes:", bytes(freed.json().path("uploads").path("bytes").asLong()))
                .row("Endpoint metric rows (retention):", freed.json().path("retention").path("endpoint_metric_rows").asLong())
                .row("Request logs (retention):", freed.json().path("retention").path("request_logs").asLong())
                .row("Job folders (retention):", freed.json().path("retention").path("job_folders").asLong());
        out.print(freed.json(), table);
    }

    /** Bytes as people read them: 0 B, 512 B, 1.5 KB, 2.0 MB, 3.1 GB (powers of 1024). */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB", "PB", "EB"};
        double value = bytes;
        int unit = -1;
        do {
            value /= 1024;
            unit++;
        } while (value >= 1024 && unit < units.length - 1);
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static String describe(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        StringBuilder text = new StringBuilder();
        if (duration.toDaysPart() > 0) {
            text.append(duration.toDaysPart()).append('d');
        }
        if (duration.toHoursPart() > 0) {
            text.append(duration.toHoursPart()).append('h');
        }
        if (duration.toMinutesPart() > 0) {
            text.append(duration.toMinutesPart()).append('m');
        }
        if (duration.toSecondsPart() > 0) {
            text.append(duration.toSecondsPart()).append('s');
        }
        return text.toString();
    }
}
