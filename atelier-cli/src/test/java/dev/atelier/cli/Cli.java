package dev.atelier.cli;

import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/** Runs the atelier command line in-process, as {@code main} would, capturing what it prints. */
final class Cli {
    private Cli() {
    }

    /** What one command printed and how it exited. */
    record Result(int exitCode, String out, String err) {
    }

    /** No variables, empty standard input, no terminal. */
    static final CliEnvironment QUIET = environment(Map.of(), "");

    static CliEnvironment environment(Map<String, String> variables, String stdin) {
        return new CliEnvironment(variables, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), Terminal.none(), "test-host");
    }

    static Result run(String... args) {
        return run(QUIET, args);
    }

    static Result run(CliEnvironment environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = AtelierCommand.commandLine(new AtelierCommand(environment), args);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(AzureCliArguments.rewrite(commandLine, args));
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** Runs a client command with {@code --url url} appended. */
    static Result runAgainst(String url, String... args) {
        return runAgainst(QUIET, url, args);
    }

    /** Runs a client command with {@code --url url} appended, in {@code environment}. */
    static Result runAgainst(CliEnvironment environment, String url, String... args) {
        String[] withUrl = Arrays.copyOf(args, args.length + 2);
        withUrl[args.length] = "--url";
        withUrl[args.length + 1] = url;
        return run(environment, withUrl);
    }
}
