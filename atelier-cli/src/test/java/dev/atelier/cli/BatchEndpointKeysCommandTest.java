package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code atelier batch-endpoint get-credentials} and {@code regenerate-keys} (Azure's verbs) against a real server: the
 * keys printed are the endpoint's, {@code regenerate-keys} replaces the primary key unless told the secondary, and a
 * wrong key type is a usage error.
 */
class BatchEndpointKeysCommandTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    private static JsonNode keys() {
        return server.http().get("/api/v1/batch-endpoints/keyed/keys").json();
    }

    @Test
    void keysArePrintedAndRegeneratedOneAtATime(@TempDir Path dir) throws Exception {
        Path endpoint = Files.writeString(dir.resolve("endpoint.yml"), "name: keyed\nauth_mode: key\n");
        assertThat(Cli.runAgainst(server.url(), "batch-endpoint", "create", "-f", endpoint.toString()).exitCode()).isZero();
        JsonNode before = keys();

        Cli.Result shown = Cli.runAgainst(server.url(), "batch-endpoint", "get-credentials", "keyed");
        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("Primary key:", before.path("primary_key").asText(), "Secondary key:",
                before.path("secondary_key").asText());
        Cli.Result json = Cli.runAgainst(server.url(), "batch-endpoint", "get-credentials", "keyed", "-o", "json");
        assertThat(HttpJson.parse(json.out()).path("primary_key").asText()).isEqualTo(before.path("primary_key").asText());

        Cli.Result primary = Cli.runAgainst(server.url(), "batch-endpoint", "regenerate-keys", "keyed");
        assertThat(primary.exitCode()).as(primary.err()).isZero();
        assertThat(primary.out()).contains("Regenerated the primary key of batch endpoint 'keyed'").doesNotContain(keys().path("primary_key").asText());
        JsonNode afterPrimary = keys();
        assertThat(afterPrimary.path("primary_key").asText()).isNotEqualTo(before.path("primary_key").asText());
        assertThat(afterPrimary.path("secondary_key").asText()).isEqualTo(before.path("secondary_key").asText());

        Cli.Result secondary = Cli.runAgainst(server.url(), "batch-endpoint", "regenerate-keys", "keyed", "--key-type", "Secondary",
                "-o", "json");
        assertThat(secondary.exitCode()).as(secondary.err()).isZero();
        JsonNode afterSecondary = keys();
        assertThat(HttpJson.parse(secondary.out()).path("secondary_key").asText()).isEqualTo(afterSecondary.path("secondary_key").asText());
        assertThat(afterSecondary.path("secondary_key").asText()).isNotEqualTo(before.path("secondary_key").asText());
        assertThat(afterSecondary.path("primary_key").asText()).isEqualTo(afterPrimary.path("primary_key").asText());

        Cli.Result wrong = Cli.runAgainst(server.url(), "batch-endpoint", "regenerate-keys", "keyed", "--key-type", "tertiary");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("expected primary or secondary");
        Cli.Result badType = Cli.runAgainst(server.url(), "batch-endpoint", "invoke", "keyed", "--input", "x@latest", "--input-type", "csv");
        assertThat(badType.exitCode()).isEqualTo(2);
        assertThat(badType.err()).contains("expected uri_folder, uri_file or mltable");

        Path tokenOnly = Files.writeString(dir.resolve("token.yml"), "name: tokened\n");
        assertThat(Cli.runAgainst(server.url(), "batch-endpoint", "create", "-f", tokenOnly.toString()).exitCode()).isZero();
        Cli.Result none = Cli.runAgainst(server.url(), "batch-endpoint", "get-credentials", "tokened");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).contains("auth_mode key");
    }
}
