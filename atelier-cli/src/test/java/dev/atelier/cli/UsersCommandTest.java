package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UsersCommandTest extends FakeServerCommandTest {
    private static final String BOB = "{\"username\":\"bob\",\"display_name\":\"Bob\",\"email\":\"bob@example.org\","
            + "\"server_admin\":false,\"disabled\":false,\"created_at\":\"2025-01-31T12:00:00Z\"}";

    @Test
    void createWithoutPasswordGeneratesOneAndPrintsItOnce() {
        fake.answer("POST", "/api/v1/users", 200, BOB);

        Cli.Result result = atelier("users", "create", "bob", "--display-name", "Bob", "--email", "bob@example.org");

        assertThat(result.exitCode()).isZero();
        String sent = lastBody().get("password").asText();
        assertThat(sent).hasSize(20).matches("[A-Za-z0-9]+");
        assertThat(result.out()).contains("Username:", "bob", "Password:", sent + "  (shown only now)");
        assertThat(lastBody().get("display_name").asText()).isEqualTo("Bob");
        assertThat(lastBody().has("server_admin")).isFalse();
    }

    @Test
    void createWithPasswordOnStdinNeverPrintsIt() {
        fake.answer("POST", "/api/v1/users", 200, BOB);

        Cli.Result result = atelierWithStdin("chosen-password\n", "users", "create", "bob", "--password-stdin", "--admin");

        assertThat(result.exitCode()).isZero();
        assertThat(lastBody().get("password").asText()).isEqualTo("chosen-password");
        assertThat(lastBody().get("server_admin").asBoolean()).isTrue();
        assertThat(result.out()).doesNotContain("chosen-password").doesNotContain("Password:");
    }

    @Test
    void createAsJsonAddsTheGeneratedPasswordToTheServersUser() {
        fake.answer("POST", "/api/v1/users", 200, BOB);

        Cli.Result result = atelier("users", "create", "bob", "-o", "json");

        JsonNode printed = json(result.out());
        assertThat(printed.get("username").asText()).isEqualTo("bob");
        assertThat(printed.get("password").asText()).isEqualTo(lastBody().get("password").asText());
    }

    @Test
    void listPrintsOneRowPerUser() {
        fake.answer("GET", "/api/v1/users", 200, "{\"users\":[" + BOB + ",{\"username\":\"admin\",\"server_admin\":true}]}");

        Cli.Result result = atelier("users", "list");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out().lines().toList()).hasSize(3);
        assertThat(result.out().lines().findFirst()).hasValueSatisfying(header ->
                assertThat(header).startsWith("USERNAME").contains("DISPLAY NAME", "ADMIN", "DISABLED"));
        assertThat(result.out()).contains("bob@example.org");
    }

    @Test
    void showPrintsTheDetails() {
        fake.answer("GET", "/api/v1/users/bob", 200, BOB);

        Cli.Result result = atelier("users", "show", "bob");

        assertThat(result.out()).contains("Display name:", "Bob", "Server admin:  no");
    }

    @Test
    void disableAndEnablePatchOnlyTheDisabledFlag() {
        fake.answer("PATCH", "/api/v1/users/bob", 200, BOB);

        assertThat(atelier("users", "disable", "bob").out()).contains("Disabled user 'bob'.");
        assertThat(lastBody().toString()).isEqualTo("{\"disabled\":true}");
        assertThat(atelier("users", "enable", "bob").out()).contains("Enabled user 'bob'.");
        assertThat(lastBody().toString()).isEqualTo("{\"disabled\":false}");
    }

    @Test
    void resetPasswordPrintsTheGeneratedPassword() {
        fake.answer("POST", "/api/v1/users/bob/reset-password", 200, "{\"password\":\"server-made-1\"}");

        Cli.Result result = atelier("users", "reset-password", "bob");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("server-made-1", "must be changed at the next login");
        assertThat(lastBody().toString()).isEqualTo("{}");
    }

    @Test
    void resetPasswordWithRevokeTokensAsksTheServerToRevokeThemAndSaysHowMany() {
        fake.answer("POST", "/api/v1/users/bob/reset-password", 200, "{\"password\":\"server-made-2\",\"revoked_tokens\":3}");

        Cli.Result result = atelier("users", "reset-password", "bob", "--revoke-tokens");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("server-made-2", "Revoked 3 API tokens");
        assertThat(lastBody().toString()).isEqualTo("{\"revoke_tokens\":true}");
    }

    @Test
    void missingNameIsAUsageError() {
        assertThat(atelier("users", "create").exitCode()).isEqualTo(2);
    }
}
