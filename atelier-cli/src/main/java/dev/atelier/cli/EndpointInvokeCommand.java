package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.Credentials;
import dev.atelier.sdk.ScoringResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code atelier endpoint invoke}: sends a request file to an endpoint's scoring URL and prints the model's answer
 * on standard output. An error answer is printed on standard error and exits as any server refusal does (1 for a
 * 4xx such as input that does not fit the signature, 4 for a model error).
 */
@Command(name = "invoke", description = "Send a request file to an endpoint (through its traffic split, or to one --deployment) "
        + "and print the answer.")
final class EndpointInvokeCommand extends WorkspaceScopedCommand {
    /** Where the key comes from instead of the API (which needs write access to read keys). */
    static final String KEY_VARIABLE = "ATELIER_ENDPOINT_KEY";

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = {"-r", "--request-file"}, required = true, paramLabel = "FILE", description = "The request body (JSON, or CSV for invocations).")
    Path requestFile;

    @Option(names = "--deployment", paramLabel = "DEPLOYMENT", description = "Send to this deployment whatever the traffic split.")
    Optional<String> deployment = Optional.empty();

    @Option(names = "--path", paramLabel = "PATH", defaultValue = "score",
            description = "score (Azure, the default), invocations (MLflow) or v2/models/<model>/infer (Open Inference Protocol).")
    String path;

    @Option(names = "--content-type", paramLabel = "TYPE", description = "The request's media type (default: text/csv for a .csv file, "
            + "else application/json).")
    Optional<String> contentType = Optional.empty();

    @Override
    void run(AtelierClient client, Output out) {
        byte[] body;
        try {
            body = Files.readAllBytes(requestFile);
        } catch (IOException e) {
            throw usageError("Invalid value for option '--request-file': cannot read " + requestFile + " (" + e.getMessage() + ")");
        }
        String type = contentType.orElse(requestFile.toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? "text/csv" : "application/json");
        Optional<String> key = Optional.ofNullable(environment().variables().get(KEY_VARIABLE)).filter(value -> !value.isBlank());
        ScoringResult result;
        try {
            result = key.isPresent()
                    ? client.endpoints().invoke(name, path, body, type, deployment, Credentials.token(key.get()))
                    : client.endpoints().invoke(name, path, body, type, deployment);
        } catch (IllegalArgumentException e) {
            throw usageError("Invalid value for option '--path': " + e.getMessage());
        }
        result.orThrow();
        print(result, out);
    }

    /** JSON answers are printed as JSON (indented with {@code -o json}), anything else as the text it is. */
    private void print(ScoringResult result, Output out) {
        Optional<JsonNode> json = Optional.empty();
        if (result.contentType().toLowerCase(Locale.ROOT).contains("json")) {
            try {
                json = Optional.of(Output.mapper().readTree(result.body()));
            } catch (IOException e) {
                json = Optional.empty();
            }
        }
        if (json.isPresent()) {
            out.print(json.get(), json.get().toString());
            return;
        }
        PrintWriter writer = spec.commandLine().getOut();
        String text = result.text();
        writer.print(text.endsWith("\n") ? text : text + "\n");
    }
}
