package dev.atelier.cli;

import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.config.SecurityConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security commands against a real server started with authentication: the first admin logs
 * in (changing the generated password at the prompt), creates a user, grants a role, stores a
 * secret, reads the audit log, rotates the master key and logs out.
 */
class SecurityCommandsRoundTripTest {
    private static final String FIRST_PASSWORD = "first-admin-password-1";
    private static final String ADMIN_PASSWORD = "changed-admin-password-2";

    @TempDir
    static Path dataDir;

    @TempDir
    static Path configDir;

    private static AtelierServer server;

    @BeforeAll
    static void start() {
        server = AtelierServer.start(ServerConfig.forTests(dataDir)
                .withSecurity(new SecurityConfig(true, Optional.of(FIRST_PASSWORD), Optional.empty())));
        Deque<String> typed = new ArrayDeque<>(List.of(FIRST_PASSWORD, ADMIN_PASSWORD, ADMIN_PASSWORD));
        Terminal keyboard = new Terminal() {
            @Override
            public Optional<String> readLine(String prompt) {
                return Optional.of("admin");
            }

            @Override
            public Optional<char[]> readPassword(String prompt) {
                return Optional.ofNullable(typed.poll()).map(String::toCharArray);
            }
        };
        CliEnvironment atKeyboard = new CliEnvironment(Map.of("ATELIER_CONFIG_DIR", configDir.toString()),
                new ByteArrayInputStream(new byte[0]), keyboard, "round-trip");
        Cli.Result login = Cli.run(atKeyboard, "login", "--url", server.url());
        assertThat(login.exitCode()).as(login.err()).isZero();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Cli.Result admin(String stdin, String... args) {
        return as(Map.of("ATELIER_CONFIG_DIR", configDir.toString()), stdin, args);
    }

    private static Cli.Result as(Map<String, String> variables, String stdin, String... args) {
        String[] withUrl = Arrays.copyOf(args, args.length + 2);
        withUrl[args.length] = "--url";
        withUrl[args.length + 1] = server.url();
        CliEnvironment environment = new CliEnvironment(variables,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), Terminal.none(), "round-trip");
        return Cli.run(environment, withUrl);
    }

    @Test
    void adminSetsUpAWorkspaceAndAReaderCannotReadSecretValues() {
        assertThat(admin("", "workspace", "create", "team").exitCode()).isZero();
        assertThat(admin("bob-password-123\n", "users", "create", "bob", "--password-stdin").exitCode()).isZero();
        assertThat(admin("", "workspace", "access", "grant", "bob", "reader", "-w", "team").exitCode()).isZero();
        assertThat(admin("s3cr3t\n", "secrets", "create", "db", "--value-stdin", "-w", "team").exitCode()).isZero();

        Map<String, String> bob = Map.of("ATELIER_CONFIG_DIR", configDir.resolve("bob").toString(),
                "ATELIER_USERNAME", "bob", "ATELIER_PASSWORD", "bob-password-123");
        assertThat(as(bob, "", "secrets", "list", "-w", "team").out()).contains("db");
        Cli.Result denied = as(bob, "", "secrets", "get", "db", "-w", "team");
        assertThat(denied.exitCode()).isEqualTo(1);
        assertThat(denied.err()).startsWith("atelier: permission denied: ");

        assertThat(admin("", "secrets", "get", "db", "-w", "team").out()).isEqualTo("s3cr3t" + System.lineSeparator());
        assertThat(admin("", "workspace", "access", "list", "-w", "team").out()).contains("bob", "Reader");
        assertThat(admin("", "audit", "-w", "team", "--since", "1h").out()).contains("denied", "bob");
        assertThat(admin("", "audit", "--admin", "--principal", "bob").exitCode()).isZero();
    }

    @Test
    void tokensAndMasterKeyRotation() {
        assertThat(admin("", "tokens", "list").out()).contains("cli-round-trip");
        Cli.Result created = admin("", "tokens", "create", "ci", "--expires-in", "30d", "--read-only");
        assertThat(created.out()).contains("atl_");
        assertThat(admin("", "admin", "rotate-master-key").exitCode()).isZero();
    }

    @Test
    void usersCanBeDisabledAndTheirPasswordsReset() {
        assertThat(admin("carol-password-123", "users", "create", "carol", "--password-stdin").exitCode()).isZero();
        assertThat(admin("", "users", "disable", "carol").exitCode()).isZero();
        Map<String, String> carol = Map.of("ATELIER_CONFIG_DIR", configDir.resolve("carol").toString(),
                "ATELIER_USERNAME", "carol", "ATELIER_PASSWORD", "carol-password-123");
        assertThat(as(carol, "", "workspace", "list").err()).startsWith("atelier: not authenticated: ");
        assertThat(admin("", "users", "enable", "carol").exitCode()).isZero();
        assertThat(admin("", "users", "reset-password", "carol").out()).contains("must be changed at the next login");
        assertThat(admin("", "users", "show", "carol").out()).contains("carol");
    }

    @Test
    void afterLogoutTheTokenIsRevoked() {
        Path other = configDir.resolve("second-login");
        Map<String, String> variables = Map.of("ATELIER_CONFIG_DIR", other.toString());
        assertThat(as(variables, ADMIN_PASSWORD, "login", "-u", "admin", "--password-stdin").exitCode()).isZero();
        String token = new String(readAll(other.resolve("credentials")), StandardCharsets.UTF_8)
                .replaceAll("(?s).*\"token\" : \"([^\"]+)\".*", "$1");

        assertThat(as(variables, "", "logout").out()).contains("the token is revoked");

        Cli.Result refused = as(Map.of("ATELIER_CONFIG_DIR", other.toString(), "ATELIER_TOKEN", token), "", "workspace", "list");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).startsWith("atelier: not authenticated: ");
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
