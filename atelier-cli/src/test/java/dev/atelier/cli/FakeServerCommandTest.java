package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.sdk.FakeAtelierServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Commands against a hand-written fake server, for the routes the real server does not serve yet
 * and for answers it would not give on purpose. Each test has its own fake and its own
 * {@code ATELIER_CONFIG_DIR}, so no credentials file of the person running the tests is read.
 */
abstract class FakeServerCommandTest {
    @TempDir
    Path configDir;

    FakeAtelierServer fake;

    @BeforeEach
    void startFake() {
        fake = FakeAtelierServer.start();
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    /** The command's environment: the test's config folder plus {@code pairs} of variable names and values. */
    Map<String, String> variables(String... pairs) {
        Map<String, String> variables = new HashMap<>();
        variables.put("ATELIER_CONFIG_DIR", configDir.toString());
        for (int i = 0; i < pairs.length; i += 2) {
            variables.put(pairs[i], pairs[i + 1]);
        }
        return variables;
    }

    /** Runs {@code args --url <fake>} with an API token in {@code ATELIER_TOKEN} and nothing on standard input. */
    Cli.Result atelier(String... args) {
        return atelierWith(variables("ATELIER_TOKEN", "atl_test"), "", args);
    }

    /** Runs {@code args --url <fake>} with {@code stdin} on standard input. */
    Cli.Result atelierWithStdin(String stdin, String... args) {
        return atelierWith(variables("ATELIER_TOKEN", "atl_test"), stdin, args);
    }

    Cli.Result atelierWith(Map<String, String> variables, String stdin, String... args) {
        String[] withUrl = Arrays.copyOf(args, args.length + 2);
        withUrl[args.length] = "--url";
        withUrl[args.length + 1] = fake.url();
        return Cli.run(Cli.environment(variables, stdin), withUrl);
    }

    JsonNode lastBody() {
        return json(fake.lastRequest().body());
    }

    static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
