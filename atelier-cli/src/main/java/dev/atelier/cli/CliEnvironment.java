package dev.atelier.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * What the commands take from the world besides their arguments: environment variables (where
 * credentials are looked up), standard input (passwords and secret values, never arguments) and
 * the terminal. {@link #system()} is the real one; tests build their own. Immutable; the host name of {@link #system()}
 * is looked up on first use (only {@code atelier login} needs it: the lookup asks the name service, which on the
 * distribution's class path searched every library for a resolver provider at each start).
 */
final class CliEnvironment {
    private final Map<String, String> variables;
    private final InputStream stdin;
    private final Terminal terminal;
    private final Supplier<String> hostname;

    /** @param hostname names the token {@code atelier login} creates ({@code cli-<hostname>}) */
    CliEnvironment(Map<String, String> variables, InputStream stdin, Terminal terminal, String hostname) {
        this(variables, stdin, terminal, constant(requireNonNull(hostname, "hostname is null")));
    }

    private CliEnvironment(Map<String, String> variables, InputStream stdin, Terminal terminal, Supplier<String> hostname) {
        this.variables = Map.copyOf(requireNonNull(variables, "variables is null"));
        this.stdin = requireNonNull(stdin, "stdin is null");
        this.terminal = requireNonNull(terminal, "terminal is null");
        this.hostname = hostname;
    }

    static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), System.in, Terminal.system(), CliEnvironment::localHostname);
    }

    Map<String, String> variables() {
        return variables;
    }

    InputStream stdin() {
        return stdin;
    }

    Terminal terminal() {
        return terminal;
    }

    /** This machine's name, for the token {@code atelier login} creates ({@code cli-<hostname>}). */
    String hostname() {
        return hostname.get();
    }

    private static Supplier<String> constant(String value) {
        return () -> value;
    }

    /**
     * All of standard input as text, without one trailing line break, so that
     * {@code echo secret | atelier ...} reads {@code secret}.
     */
    String readStdin() {
        try {
            return withoutTrailingLineBreak(new String(stdin.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
        }
    }

    static String withoutTrailingLineBreak(String text) {
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown-host");
        }
    }
}
