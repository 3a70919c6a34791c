package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.sdk.AtelierClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code atelier endpoint drift}: compares the inputs an endpoint logged with a reference table data
 * asset and prints the report per feature; {@code --list} prints the stored reports instead.
 */
@Command(name = "drift", description = "Compare an endpoint's logged inputs with a reference table data asset (PSI and a "
        + "two-sample test per feature), or --list the stored drift reports.")
final class EndpointDriftCommand extends WorkspaceScopedCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--reference", paramLabel = "data:NAME:VERSION", description = "The reference table (such as the training data).")
    Optional<String> reference = Optional.empty();

    @Option(names = "--from", paramLabel = "TIME", description = "Start of the period: epoch milliseconds or an ISO-8601 instant.")
    Optional<String> from = Optional.empty();

    @Option(names = "--to", paramLabel = "TIME", description = "End of the period (default: now).")
    Optional<String> to = Optional.empty();

    @Option(names = "--deployment", paramLabel = "DEPLOYMENT", description = "Only the requests one deployment answered.")
    Optional<String> deployment = Optional.empty();

    @Option(names = "--list", description = "List the endpoint's stored drift reports, newest first.")
    boolean list;

    @Override
    void run(AtelierClient client, Output out) {
        if (list) {
            List<JsonNode> reports = client.endpoints().driftReports(name);
            Table table = Table.withHeaders("ID", "CREATED", "REFERENCE", "ROWS", "DRIFT", "DRIFTED FEATURES");
            for (JsonNode report : reports) {
                table.row(report.path("id").asText(), ServingTables.time(report.path("created_at")), report.path("reference").asText(),
                        report.path("current_rows").asText(), report.path("drift_detected").asBoolean() ? "yes" : "no", drifted(report));
            }
            out.print(Output.mapper().valueToTree(reports), table);
            return;
        }
        if (reference.isEmpty()) {
            throw usageError("Missing option '--reference=data:NAME:VERSION' (or --list to list the stored reports)");
        }
        JsonNode report = client.endpoints().requestDriftReport(name, reference.get(), from, to, deployment);
        Table summary = Table.details()
                .row("Report:", report.path("id").asText())
                .row("Reference:", report.path("reference").asText() + " (" + report.path("reference_rows").asText() + " rows)")
                .row("Logged rows:", report.path("current_rows").asText())
                .row("Drift detected:", report.path("drift_detected").asBoolean() ? "yes" : "no");
        Table features = Table.titled("Features:", "FEATURE", "KIND", "PSI", "TEST", "P-VALUE", "DRIFTED");
        for (JsonNode feature : report.path("features")) {
            features.row(feature.path("name").asText(), feature.path("kind").asText(),
                    String.format(Locale.ROOT, "%.4f", feature.path("psi").asDouble()), feature.path("test").asText(),
                    String.format(Locale.ROOT, "%.3g", feature.path("p_value").asDouble()), feature.path("drifted").asBoolean() ? "yes" : "no");
        }
        out.print(report, summary, features);
    }

    private static String drifted(JsonNode report) {
        StringBuilder names = new StringBuilder();
        for (JsonNode feature : report.path("features")) {
            if (feature.path("drifted").asBoolean()) {
                names.append(names.isEmpty() ? "" : ", ").append(feature.path("name").asText());
            }
        }
        return names.toString();
    }
}
