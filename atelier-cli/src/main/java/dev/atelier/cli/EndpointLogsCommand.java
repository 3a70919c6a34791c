package dev.atelier.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.sdk.AtelierClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code atelier endpoint logs}: the last lines of one deployment, or of each deployment prefixed by its name. */
@Command(name = "logs", aliases = "get-logs", description = "Print the last log lines of an endpoint's deployments (or of one --deployment).")
final class EndpointLogsCommand extends WorkspaceScopedCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--deployment", paramLabel = "DEPLOYMENT", description = "Only this deployment (default: every deployment).")
    Optional<String> deployment = Optional.empty();

    @Option(names = "--tail", paramLabel = "N", defaultValue = "100", description = "The last N lines of each deployment (default: ${DEFAULT-VALUE}).")
    int tail;

    @Override
    void run(AtelierClient client, Output out) {
        if (tail < 1) {
            throw usageError("Invalid value for option '--tail': expected at least 1, got " + tail);
        }
        List<String> deployments = new ArrayList<>();
        if (deployment.isPresent()) {
            deployments.add(deployment.get());
        } else {
            client.endpoints().get(name).path("deployments").forEach(found -> deployments.add(found.path("name").asText()));
        }
        boolean prefix = deployments.size() > 1;
        ObjectNode json = Output.mapper().createObjectNode();
        StringBuilder text = new StringBuilder();
        for (String each : deployments) {
            List<String> lines = client.deployments().logs(name, each, tail);
            ArrayNode array = json.putArray(each);
            for (String line : lines) {
                array.add(line);
                text.append(prefix ? "[" + each + "] " : "").append(line).append('\n');
            }
        }
        String empty = deployments.isEmpty() ? "Endpoint '" + name + "' has no deployments." : "No log lines yet.";
        out.print(json, text.isEmpty() ? empty : text.toString().stripTrailing());
    }
}
