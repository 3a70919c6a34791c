package dev.atelier.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsCommandTest extends FakeServerCommandTest {
    private static final String METADATA = "{\"name\":\"db\",\"version\":1,\"description\":\"database\",\"created_by\":\"ada\","
            + "\"created_at\":\"2025-01-31T12:00:00Z\",\"updated_at\":\"2025-01-31T12:00:00Z\"}";

    @Test
    void createReadsTheValueFromStdinWithoutTheTrailingLineBreak() {
        fake.answer("POST", "/w/team-a/api/v1/secrets", 200, METADATA);

        Cli.Result result = atelierWithStdin("s3cr3t\n", "secrets", "create", "db", "--value-stdin", "-d", "database", "-w", "team-a");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Created secret 'db' (version 1) in workspace 'team-a'.").doesNotContain("s3cr3t");
        assertThat(lastBody().get("value").asText()).isEqualTo("s3cr3t");
        assertThat(lastBody().get("description").asText()).isEqualTo("database");
    }

    @Test
    void createReadsAFileByteForByte() throws IOException {
        fake.answer("POST", "/api/v1/secrets", 200, METADATA);
        Path file = Files.writeString(configDir.resolve("key.pem"), "-----BEGIN-----\nabc\n-----END-----\n");

        assertThat(atelier("secrets", "create", "db", "--value-file", file.toString()).exitCode()).isZero();
        assertThat(lastBody().get("value").asText()).isEqualTo("-----BEGIN-----\nabc\n-----END-----\n");
    }

    @Test
    void valueIsNeverAnArgument() {
        Cli.Result result = atelier("secrets", "create", "db", "--value", "s3cr3t");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void exactlyOneValueSourceIsRequired() {
        assertThat(atelier("secrets", "create", "db").exitCode()).isEqualTo(2);
        assertThat(atelierWithStdin("x", "secrets", "create", "db", "--value-stdin", "--value-file", "f").exitCode()).isEqualTo(2);
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void emptyValueAndMissingFileAreUsageErrors() {
        assertThat(atelierWithStdin("\n", "secrets", "create", "db", "--value-stdin").exitCode()).isEqualTo(2);
        Cli.Result missing = atelier("secrets", "create", "db", "--value-file", configDir.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--value-file", "nope");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void updatePutsANewVersion() {
        fake.answer("PUT", "/api/v1/secrets/db", 200, METADATA.replace("\"version\":1", "\"version\":2"));

        Cli.Result result = atelierWithStdin("new", "secrets", "update", "db", "--value-stdin");

        assertThat(result.out()).contains("Updated secret 'db' to version 2.");
        assertThat(lastBody().toString()).isEqualTo("{\"value\":\"new\"}");
    }

    @Test
    void getPrintsOnlyTheValue() {
        fake.answer("GET", "/api/v1/secrets/db/value", 200, "{\"name\":\"db\",\"version\":2,\"value\":\"s3cr3t\"}");

        Cli.Result result = atelier("secrets", "get", "db");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("s3cr3t" + System.lineSeparator());
    }

    @Test
    void showListAndDeleteNeverAskForTheValue() {
        fake.answer("GET", "/api/v1/secrets/db", 200, METADATA)
                .answer("GET", "/api/v1/secrets", 200, "{\"secrets\":[" + METADATA + "]}")
                .answer("DELETE", "/api/v1/secrets/db", 200, "{}");

        assertThat(atelier("secrets", "show", "db").out()).contains("Name:", "db", "Created by:", "ada");
        assertThat(atelier("secrets", "list").out()).contains("NAME", "VERSION", "database");
        assertThat(atelier("secrets", "delete", "db").out()).contains("Deleted secret 'db'.");
        assertThat(fake.requests()).noneMatch(request -> request.path().endsWith("/value"));
    }
}
