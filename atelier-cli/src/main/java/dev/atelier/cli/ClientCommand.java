package dev.atelier.cli;

import dev.atelier.api.AtelierException;
import dev.atelier.api.Workspace;
import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.ServerUnreachableException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * A command that talks to a running server. Holds the options every such command shares
 * ({@code --url}, {@code --output}) and is the one place where failures become one line on
 * stderr and an exit code from {@link ExitCodes}; no stack trace reaches the person.
 */
abstract class ClientCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ExitCodes exitCodes;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:ATELIER_URL:-" + AtelierClient.DEFAULT_URL + "}",
            description = "Base URL of the server (default: $ATELIER_URL, else " + AtelierClient.DEFAULT_URL + ").")
    String url;

    @Option(names = {"-o", "--output"}, paramLabel = "table|json", defaultValue = "table", converter = OutputFormat.Converter.class,
            description = "Print aligned columns (table, the default) or the server's objects as JSON (json).")
    OutputFormat output;

    /** The workspace the command works in; commands with a {@code --workspace} option override this. */
    String workspace() {
        return Workspace.DEFAULT;
    }

    /** Does the command's work; throws what the SDK throws. */
    abstract void run(AtelierClient client, Output out);

    @Override
    public final Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Output out = new Output(spec.commandLine().getOut(), output);
        AtelierClient client;
        try {
            client = AtelierClient.connect(url, workspace());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--url': " + e.getMessage());
        }
        try (client) {
            run(client, out);
            return ExitCodes.OK;
        } catch (ParameterException e) {
            throw e;
        } catch (AtelierException e) {
            err.println("atelier: " + ServerErrors.describe(e));
            return e.httpStatus() < 500 ? ExitCodes.SERVER_REFUSED : ExitCodes.INTERNAL;
        } catch (ServerUnreachableException e) {
            err.println("atelier: " + e.getMessage() + " (start it with 'atelier server', or point --url or ATELIER_URL at it)");
            return ExitCodes.UNREACHABLE;
        } catch (RuntimeException e) {
            err.println("atelier: internal error: " + e);
            return ExitCodes.INTERNAL;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
