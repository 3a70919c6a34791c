package dev.atelier.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/** How refused credentials and an unreadable credentials file reach the person: one line, exit 1 or 4. */
class CredentialErrorsTest extends FakeServerCommandTest {
    private static final String UNAUTHENTICATED = "{\"error_code\":\"UNAUTHENTICATED\",\"message\":\"Credentials required\"}";

    @Test
    void withoutCredentialsA401SaysHowToLogIn() {
        fake.answer("GET", "/api/v1/workspaces", 401, UNAUTHENTICATED);

        Cli.Result result = atelierWith(variables(), "", "workspace", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("atelier: not authenticated: Credentials required (run 'atelier login', or set ATELIER_TOKEN)"
                + System.lineSeparator());
        assertThat(fake.lastRequest().header("Authorization")).isEmpty();
    }

    @Test
    void refusedTokenNamesWhereItCameFrom() {
        fake.answer("GET", "/api/v1/workspaces", 401, UNAUTHENTICATED);

        Cli.Result result = atelier("workspace", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("atelier: not authenticated: Credentials required (credentials from ATELIER_TOKEN)");
        assertThat(fake.lastRequest().header("Authorization")).contains("Bearer atl_test");
    }

    @Test
    void forbiddenIsPermissionDeniedExitingOne() {
        fake.answer("GET", "/api/v1/users", 403, "{\"error_code\":\"PERMISSION_DENIED\",\"message\":\"Server admins only\"}");

        Cli.Result result = atelier("users", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("atelier: permission denied: Server admins only" + System.lineSeparator());
    }

    @Test
    void usernameAndPasswordVariablesAreSentAsBasic() {
        fake.answer("GET", "/api/v1/workspaces", 200, "{\"workspaces\":[]}");

        atelierWith(variables("ATELIER_USERNAME", "ada", "ATELIER_PASSWORD", "pw"), "", "workspace", "list");

        assertThat(fake.lastRequest().header("Authorization")).contains("Basic YWRhOnB3");
    }

    @Test
    void malformedCredentialsFileExitsFourNamingIt() throws IOException {
        Files.writeString(configDir.resolve("credentials"), "not json");

        Cli.Result result = atelierWith(variables(), "", "workspace", "list");

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).startsWith("atelier: ").contains(configDir.resolve("credentials").toString());
        assertThat(result.err().lines()).hasSize(1);
    }
}
