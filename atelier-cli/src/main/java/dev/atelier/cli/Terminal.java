package dev.atelier.cli;

import java.io.Console;
import java.util.Optional;

/**
 * Asks the person at the keyboard, when there is one: {@link #system()} is the process's console,
 * {@link #none()} stands for a script or a pipe (and for tests that give no answers).
 */
interface Terminal {
    /** The line typed after {@code prompt}, or empty when there is no terminal. */
    Optional<String> readLine(String prompt);

    /** The password typed after {@code prompt} without echo, or empty when there is no terminal. */
    Optional<char[]> readPassword(String prompt);

    static Terminal system() {
        return new Terminal() {
            @Override
            public Optional<String> readLine(String prompt) {
                Console console = System.console();
                return console == null ? Optional.empty() : Optional.ofNullable(console.readLine("%s", prompt));
            }

            @Override
            public Optional<char[]> readPassword(String prompt) {
                Console console = System.console();
                return console == null ? Optional.empty() : Optional.ofNullable(console.readPassword("%s", prompt));
            }
        };
    }

    static Terminal none() {
        return new Terminal() {
            @Override
            public Optional<String> readLine(String prompt) {
                return Optional.empty();
            }

            @Override
            public Optional<char[]> readPassword(String prompt) {
                return Optional.empty();
            }
        };
    }
}
