package dev.atelier.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AuditCommandTest extends FakeServerCommandTest {
    private static final String EVENTS = """
            {"events":[{"time":"2025-01-31T12:00:00Z","principal":"bob","workspace":"team-a","action":"DELETE /api/v1/secrets/{name}",
             "target":"/w/team-a/api/v1/secrets/db","outcome":"denied","status":403,"client_address":"10.0.0.7"}]}""";

    private String query() {
        return URLDecoder.decode(fake.lastRequest().query(), StandardCharsets.UTF_8);
    }

    @Test
    void workspaceLogWithFilters() {
        fake.answer("GET", "/w/team-a/api/v1/audit", 200, EVENTS);

        Cli.Result result = atelier("audit", "-w", "team-a", "--since", "2025-01-31T00:00:00Z", "--principal", "bob", "--max", "5");

        assertThat(result.exitCode()).isZero();
        assertThat(query()).isEqualTo("since=1738281600000&principal=bob&max_results=5");
        assertThat(result.out().lines().findFirst()).hasValueSatisfying(header ->
                assertThat(header).startsWith("TIME").contains("PRINCIPAL", "ACTION", "OUTCOME", "STATUS", "CLIENT"));
        assertThat(result.out()).contains("bob", "DELETE /api/v1/secrets/{name}", "denied", "403", "10.0.0.7");
    }

    @Test
    void sinceAsADurationMeansThatLongAgo() {
        fake.answer("GET", "/api/v1/audit", 200, "{\"events\":[]}");

        atelier("audit", "--since", "1h");

        String since = query().replaceAll(".*since=([^&]+).*", "$1");
        assertThat(Instant.ofEpochMilli(Long.parseLong(since))).isCloseTo(Instant.now().minus(Duration.ofHours(1)), within(Duration.ofMinutes(1)));
    }

    @Test
    void adminLogIsServerWideUnlessAWorkspaceIsGiven() {
        fake.answer("GET", "/api/v1/admin/audit", 200, EVENTS);

        assertThat(atelier("audit", "--admin").exitCode()).isZero();
        assertThat(query()).isEqualTo("max_results=100");

        assertThat(atelier("audit", "--admin", "--workspace", "team-a").exitCode()).isZero();
        assertThat(query()).isEqualTo("workspace=team-a&max_results=100");
    }

    @Test
    void asJsonPrintsTheServersEvents() {
        fake.answer("GET", "/api/v1/audit", 200, EVENTS);

        assertThat(json(atelier("audit", "-o", "json").out()).get(0).get("client_address").asText()).isEqualTo("10.0.0.7");
    }

    @Test
    void malformedTimeAndMaxAreUsageErrors() {
        Cli.Result time = atelier("audit", "--since", "yesterday");
        assertThat(time.exitCode()).isEqualTo(2);
        assertThat(time.err()).contains("--since", "'yesterday'");
        assertThat(atelier("audit", "--max", "0").exitCode()).isEqualTo(2);
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void rotateMasterKeySaysHowManySecretsWereReencrypted() {
        fake.answer("POST", "/api/v1/admin/rotate-master-key", 200, "{\"secrets\":3}");

        Cli.Result result = atelier("admin", "rotate-master-key");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("Rotated the master key; re-encrypted 3 secrets." + System.lineSeparator());
    }
}
