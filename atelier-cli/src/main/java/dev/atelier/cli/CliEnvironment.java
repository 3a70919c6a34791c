package dev.atelier.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What the commands take from the world besides their arguments: environment variables (where
 * credentials are looked up), standard input (passwords and secret values, never arguments) and
 * the terminal. {@link #system()} is the real one; tests build their own.
 *
 * @param hostname names the token {@code atelier login} creates ({@code cli-<hostname>})
 */
record CliEnvironment(Map<String, String> variables, InputStream stdin, Terminal terminal, String hostname) {
    CliEnvironment {
        variables = Map.copyOf(requireNonNull(variables, "variables is null"));
        requireNonNull(stdin, "stdin is null");
        requireNonNull(terminal, "terminal is null");
        requireNonNull(hostname, "hostname is null");
    }

    static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), System.in, Terminal.system(), localHostname());
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
