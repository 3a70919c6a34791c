package dev.atelier.cli;

import dev.atelier.api.AtelierException;
import dev.atelier.api.Workspace;
import dev.atelier.api.ErrorCode;
import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.CredentialsFileException;
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

    @Option(names = {"-o", "--output"}, paramLabel = "table|json|yaml", defaultValue = "table", converter = OutputFormat.Converter.class,
            description = "Print aligned columns (table, the default) or the server's objects as JSON (json) or YAML (yaml).")
    OutputFormat output;

    /** The workspace the command works in; commands with a {@code --workspace} option override this. */
    String workspace() {
        return Workspace.DEFAULT;
    }

    /** Does the command's work; throws what the SDK throws. */
    abstract void run(AtelierClient client, Output out);

    /** Environment variables, standard input and terminal of this run. */
    final CliEnvironment environment() {
        return ((AtelierCommand) spec.root().userObject()).environment();
    }

    /** Where a command prints a followed log: standard output, or standard error when standard output holds JSON or YAML. */
    final PrintWriter logWriter() {
        return output.structured() ? spec.commandLine().getErr() : spec.commandLine().getOut();
    }

    /** A usage error (exit 2) about this command, such as a missing value on standard input. */
    final ParameterException usageError(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public final Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Output out = new Output(spec.commandLine().getOut(), output);
        AtelierClient client;
        try {
            client = AtelierClient.builder(url).workspace(workspace()).environment(environment().variables()).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--url': " + e.getMessage());
        } catch (CredentialsFileException e) {
            err.println("atelier: " + e.getMessage());
            err.flush();
            return ExitCodes.INTERNAL;
        }
        try (client) {
            run(client, out);
            return ExitCodes.OK;
        } catch (ParameterException e) {
            throw e;
        } catch (JobNotCompletedException e) {
            err.println("atelier: " + e.getMessage());
            return ExitCodes.JOB_NOT_COMPLETED;
        } catch (AtelierException e) {
            err.println("atelier: " + ServerErrors.describe(e) + (e.errorCode() == ErrorCode.UNAUTHENTICATED ? hint(client) : ""));
            return e.httpStatus() < 500 ? ExitCodes.SERVER_REFUSED : ExitCodes.INTERNAL;
        } catch (CredentialsFileException e) {
            err.println("atelier: " + e.getMessage());
            return ExitCodes.INTERNAL;
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

    /** Says which credentials the server refused, or how to give some. */
    private static String hint(AtelierClient client) {
        return "none".equals(client.credentialsSource())
                ? " (run 'atelier login', or set ATELIER_TOKEN)"
                : " (credentials from " + client.credentialsSource() + ")";
    }
}
