package dev.atelier.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokensCommandTest extends FakeServerCommandTest {
    private static final String CREATED = "{\"id\":\"3\",\"name\":\"ci\",\"token\":\"atl_once\",\"workspace\":\"team-a\","
            + "\"read_only\":true,\"expires_at\":\"2025-03-02T12:00:00Z\",\"created_at\":\"2025-01-31T12:00:00Z\"}";

    @Test
    void createPrintsTheTokenOnceWithAWarning() {
        fake.answer("POST", "/api/v1/tokens", 200, CREATED);

        Cli.Result result = atelier("tokens", "create", "ci", "--expires-in", "30d", "-w", "team-a", "--read-only");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Token:", "atl_once", "it will not be shown again", "Read-only:  yes");
        assertThat(lastBody().get("name").asText()).isEqualTo("ci");
        assertThat(lastBody().get("expires_in_days").asInt()).isEqualTo(30);
        assertThat(lastBody().get("workspace").asText()).isEqualTo("team-a");
        assertThat(lastBody().get("read_only").asBoolean()).isTrue();
    }

    @Test
    void createWithoutOptionsSendsOnlyTheName() {
        fake.answer("POST", "/api/v1/tokens", 200, "{\"id\":\"4\",\"name\":\"laptop\",\"token\":\"atl_x\"}");

        Cli.Result result = atelier("tokens", "create", "laptop");

        assertThat(result.out()).contains("Expires:", "never", "(all)");
        assertThat(lastBody().toString()).isEqualTo("{\"name\":\"laptop\"}");
    }

    @Test
    void createAsJsonPrintsTheServersAnswerWithTheToken() {
        fake.answer("POST", "/api/v1/tokens", 200, CREATED);

        Cli.Result result = atelier("tokens", "create", "ci", "-o", "json");

        assertThat(json(result.out()).get("token").asText()).isEqualTo("atl_once");
    }

    @Test
    void expiryMustBeWholeDays() {
        Cli.Result result = atelier("tokens", "create", "ci", "--expires-in", "12h");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--expires-in", "whole number of days");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void listNeverHasSecretsAndRevokeDeletesById() {
        fake.answer("GET", "/api/v1/tokens", 200, "{\"tokens\":[{\"id\":\"3\",\"name\":\"ci\",\"workspace\":\"team-a\"},"
                + "{\"id\":\"4\",\"name\":\"laptop\"}]}")
                .answer("DELETE", "/api/v1/tokens/3", 200, "{}");

        Cli.Result listed = atelier("tokens", "list");
        assertThat(listed.out().lines().findFirst()).hasValueSatisfying(header ->
                assertThat(header).startsWith("ID").contains("NAME", "WORKSPACE", "READ-ONLY", "EXPIRES"));
        assertThat(listed.out()).contains("laptop", "team-a", "(all)");

        Cli.Result revoked = atelier("tokens", "revoke", "3");
        assertThat(revoked.exitCode()).isZero();
        assertThat(revoked.out()).contains("Revoked token 3.");
        assertThat(fake.lastRequest().method()).isEqualTo("DELETE");
    }
}
