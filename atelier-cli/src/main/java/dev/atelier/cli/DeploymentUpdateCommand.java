package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.sdk.AtelierClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code atelier deployment update}: changes a deployment from its YAML file, or from options naming the endpoint
 * and the deployment; options also override the file. The server rolls the deployment over without failing
 * requests; the command waits until it has settled.
 */
@Command(name = "update", description = "Change a deployment (model, instance count, request settings...) from its YAML file or from "
        + "options, and wait until the rollover succeeds or fails.")
final class DeploymentUpdateCommand extends DeploymentCommand.WaitingCommand {
    @Parameters(arity = "0..2", paramLabel = "ENDPOINT NAME", description = "The endpoint and the deployment (default with --file: "
            + "the file's endpoint_name and name).")
    List<String> names = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The deployment's YAML file; its code folder is uploaded again.")
    Optional<Path> file = Optional.empty();

    @Option(names = {"-e", "--endpoint-name"}, paramLabel = "ENDPOINT", description = "The endpoint (instead of the first argument).")
    Optional<String> endpointName = Optional.empty();

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "The deployment (instead of the last argument).")
    Optional<String> deploymentName = Optional.empty();

    @Mixin
    SetOverrides overrides;

    @Option(names = "--instance-count", paramLabel = "N")
    Optional<Integer> instanceCount = Optional.empty();

    @Option(names = "--model", paramLabel = "MODEL", description = "models:/NAME/VERSION or models:/NAME@ALIAS.")
    Optional<String> model = Optional.empty();

    @Option(names = "--environment", paramLabel = "ENVIRONMENT", description = "NAME, NAME:VERSION or NAME@latest.")
    Optional<String> environmentName = Optional.empty();

    @Option(names = "--max-concurrent-requests", paramLabel = "N", description = "request_settings.max_concurrent_requests_per_instance")
    Optional<Integer> maxConcurrent = Optional.empty();

    @Option(names = "--request-timeout-ms", paramLabel = "MS", description = "request_settings.request_timeout_ms")
    Optional<Integer> timeoutMillis = Optional.empty();

    @Option(names = "--max-payload-bytes", paramLabel = "BYTES", description = "request_settings.max_payload_bytes")
    Optional<Long> maxPayload = Optional.empty();

    @Override
    void run(AtelierClient client, Output out) {
        ObjectNode changes = file.map(path -> read(client, path)).orElseGet(() -> Output.mapper().createObjectNode());
        if (names.size() == 2 && endpointName.isPresent()) {
            throw usageError("Give the endpoint either as an argument or with --endpoint-name, not both");
        }
        List<String> given = names;
        if (deploymentName.isPresent() && !names.isEmpty()) {
            // With --name, a single argument is the endpoint.
            if (names.size() == 2 || endpointName.isPresent()) {
                throw usageError("Give the deployment either as an argument or with --name, not both");
            }
            given = List.of(names.getFirst(), deploymentName.get());
        } else if (deploymentName.isPresent()) {
            given = List.of(deploymentName.get());
        }
        Optional<String> givenEndpoint = given.size() == 2 ? Optional.of(given.get(0)) : endpointName;
        Optional<String> givenName = given.isEmpty() ? Optional.empty() : Optional.of(given.getLast());
        if (given.size() == 1 && endpointName.isEmpty() && file.isEmpty()) {
            throw usageError("Give the endpoint and the deployment: atelier deployment update ENDPOINT NAME ...");
        }
        String endpoint = file.isPresent() ? endpointOf(givenEndpoint, changes, file.get())
                : givenEndpoint.orElseThrow(() -> usageError("Give --file, or the endpoint and the deployment: atelier deployment update "
                + "ENDPOINT NAME --instance-count N"));
        String name = givenName.or(() -> Optional.ofNullable(changes.path("name").textValue()))
                .orElseThrow(() -> usageError("The deployment file names no deployment: add 'name:' or give ENDPOINT NAME"));
        applyOptions(changes);
        overrides.applyTo(this, changes);
        if (changes.isEmpty() || changes.size() == 1 && changes.has("name")) {
            throw usageError("Nothing to change: give --file, --set, --instance-count, --model, --environment or a request setting");
        }
        JsonNode accepted = client.deployments().update(endpoint, name, changes);
        finish(client, out, accepted, endpoint, name, "Updated");
    }

    private void applyOptions(ObjectNode changes) {
        instanceCount.ifPresent(count -> changes.put("instance_count", count));
        model.ifPresent(value -> changes.put("model", value));
        environmentName.ifPresent(value -> changes.put("environment", value));
        if (maxConcurrent.isPresent() || timeoutMillis.isPresent() || maxPayload.isPresent()) {
            ObjectNode settings = changes.path("request_settings").isObject()
                    ? (ObjectNode) changes.get("request_settings") : changes.putObject("request_settings");
            maxConcurrent.ifPresent(value -> settings.put("max_concurrent_requests_per_instance", value));
            timeoutMillis.ifPresent(value -> settings.put("request_timeout_ms", value));
            maxPayload.ifPresent(value -> settings.put("max_payload_bytes", value));
        }
    }
}
