package dev.atelier.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LoginCommandTest extends FakeServerCommandTest {
    private static final String CREATED = "{\"id\":\"%s\",\"name\":\"cli-test-host\",\"token\":\"%s\",\"read_only\":false}";

    private Path credentials() {
        return configDir.resolve("config").resolve("credentials");
    }

    private Map<String, String> loginVariables() {
        return Map.of("ATELIER_CONFIG_DIR", configDir.resolve("config").toString());
    }

    private Cli.Result login(String stdin, String... args) {
        return atelierWith(loginVariables(), stdin, args);
    }

    private static String basic(String username, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void loginCreatesATokenWithThePasswordAndStoresItForTheOwnerOnly() throws IOException {
        fake.answer("POST", "/api/v1/tokens", 200, CREATED.formatted("7", "atl_first"));

        Cli.Result result = login("pa ss\n", "login", "--username", "ada", "--password-stdin");

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).contains("Logged in to " + fake.url() + " as ada", credentials().toString())
                .doesNotContain("atl_first");
        assertThat(fake.lastRequest().header("Authorization")).contains(basic("ada", "pa ss"));
        assertThat(lastBody().get("name").asText()).isEqualTo("cli-test-host");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials().getParent()))).isEqualTo("rwx------");
        assertThat(Files.readString(credentials())).contains(fake.url(), "atl_first", "\"token_id\" : \"7\"");
    }

    @Test
    void laterCommandsSendTheStoredTokenAsBearer() {
        fake.answer("POST", "/api/v1/tokens", 200, CREATED.formatted("7", "atl_first"))
                .answer("GET", "/api/v1/workspaces", 200, "{\"workspaces\":[]}");
        login("pw", "login", "-u", "ada", "--password-stdin");

        Cli.Result listed = login("", "workspace", "list");

        assertThat(listed.exitCode()).isZero();
        assertThat(fake.lastRequest().header("Authorization")).contains("Bearer atl_first");
    }

    @Test
    void loggingInAgainReplacesTheStoredTokenAndRevokesTheOldOne() throws IOException {
        fake.answer("POST", "/api/v1/tokens", 200, CREATED.formatted("7", "atl_first"))
                .answer("DELETE", "/api/v1/tokens/7", 200, "{}");
        login("pw", "login", "-u", "ada", "--password-stdin");
        fake.answer("POST", "/api/v1/tokens", 200, CREATED.formatted("8", "atl_second"));

        assertThat(login("pw", "login", "-u", "ada", "--password-stdin").exitCode()).isZero();

        assertThat(Files.readString(credentials())).contains("atl_second").doesNotContain("atl_first");
        assertThat(fake.lastRequest().method()).isEqualTo("DELETE");
        assertThat(fake.lastRequest().path()).isEqualTo("/api/v1/tokens/7");
        assertThat(fake.lastRequest().header("Authorization")).contains("Bearer atl_first");
    }

    @Test
    void usernameComesFromTheEnvironmentAndThePasswordFromTheTerminal() {
        fake.answer("POST", "/api/v1/tokens", 200, CREATED.formatted("7", "atl_first"));
        Terminal typing = new Terminal() {
            @Override
            public Optional<String> readLine(String prompt) {
                throw new AssertionError("the user name was in the environment");
            }

            @Override
            public Optional<char[]> readPassword(String prompt) {
                return Optional.of("typed".toCharArray());
            }
        };
        Map<String, String> variables = Map.of("ATELIER_CONFIG_DIR", configDir.toString(), "ATELIER_USERNAME", "grace");
        CliEnvironment environment = new CliEnvironment(variables, new java.io.ByteArrayInputStream(new byte[0]), typing, "laptop");

        Cli.Result result = Cli.run(environment, "login", "--url", fake.url());

        assertThat(result.exitCode()).isZero();
        assertThat(fake.lastRequest().header("Authorization")).contains(basic("grace", "typed"));
        assertThat(lastBody().get("name").asText()).isEqualTo("cli-laptop");
    }

    @Test
    void withoutATerminalThePasswordMustComeFromStdin() {
        Cli.Result result = login("", "login", "--username", "ada");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--password-stdin");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void withoutATerminalTheUsernameMustBeGiven() {
        Cli.Result result = login("pw", "login", "--password-stdin");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Missing --username");
    }

    @Test
    void wrongPasswordExitsOneWithOneLineAndStoresNothing() {
        fake.answer("POST", "/api/v1/tokens", 401, "{\"error_code\":\"UNAUTHENTICATED\",\"message\":\"Wrong user name or password\"}");

        Cli.Result result = login("wrong", "login", "-u", "ada", "--password-stdin");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("atelier: not authenticated: Wrong user name or password");
        assertThat(result.err().lines()).hasSize(1);
        assertThat(credentials()).doesNotExist();
    }

    @Test
    void tooManyFailedLoginsExitOne() {
        fake.answer("POST", "/api/v1/tokens", 429, "{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"Too many failed logins\"}");

        Cli.Result result = login("wrong", "login", "-u", "ada", "--password-stdin");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("atelier: limit exceeded: Too many failed logins" + System.lineSeparator());
    }

    @Test
    void passwordIsNotAnOption() {
        assertThat(login("", "login", "-u", "ada", "--password", "pw").exitCode()).isEqualTo(2);
    }

    @Test
    void logoutRemovesTheTokenAndRevokesIt() throws IOException {
        fake.answer("POST", "/api/v1/tokens", 200, CREATED.formatted("7", "atl_first"))
                .answer("DELETE", "/api/v1/tokens/7", 200, "{}");
        login("pw", "login", "-u", "ada", "--password-stdin");

        Cli.Result result = login("", "logout");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Logged out of " + fake.url(), "revoked");
        assertThat(fake.lastRequest().header("Authorization")).contains("Bearer atl_first");
        assertThat(Files.readString(credentials())).doesNotContain("atl_first");
    }

    @Test
    void logoutForgetsTheTokenEvenWhenTheServerCannotRevokeIt() throws IOException {
        fake.answer("POST", "/api/v1/tokens", 200, CREATED.formatted("7", "atl_first"));
        login("pw", "login", "-u", "ada", "--password-stdin");
        fake.close();

        Cli.Result result = login("", "logout");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("could not be revoked", "atelier tokens revoke 7");
        assertThat(Files.readString(credentials())).doesNotContain("atl_first");
    }

    @Test
    void logoutWhenNotLoggedInSaysSo() {
        Cli.Result result = login("", "logout");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Not logged in to " + fake.url());
    }
}
