package dev.atelier.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AccessCommandTest extends FakeServerCommandTest {
    @Test
    void grantAcceptsDashedLowercaseRolesAndSendsTheDocumentedSpelling() {
        fake.answer("POST", "/w/team-a/api/v1/access", 200, "{}");

        Cli.Result result = atelier("workspace", "access", "grant", "bob", "data-scientist", "-w", "team-a");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Granted Data Scientist in workspace 'team-a' to 'bob'.");
        assertThat(lastBody().get("username").asText()).isEqualTo("bob");
        assertThat(lastBody().get("role").asText()).isEqualTo("Data Scientist");
    }

    @Test
    void grantInTheDefaultWorkspaceUsesThePlainPath() {
        fake.answer("POST", "/api/v1/access", 200, "{}");

        assertThat(atelier("workspace", "access", "grant", "bob", "COMPUTE_OPERATOR").exitCode()).isZero();
        assertThat(lastBody().get("role").asText()).isEqualTo("Compute Operator");
    }

    @Test
    void unknownRoleIsAUsageErrorNamingTheRoles() {
        Cli.Result result = atelier("workspace", "access", "grant", "bob", "boss", "-w", "team-a");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("unknown role 'boss'", "Owner, Contributor, Data Scientist, Compute Operator, Reader");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void listAndRevoke() {
        fake.answer("GET", "/w/team-a/api/v1/access", 200,
                        "{\"assignments\":[{\"username\":\"ada\",\"role\":\"Owner\"},{\"username\":\"bob\",\"role\":\"Reader\"}]}")
                .answer("DELETE", "/w/team-a/api/v1/access/bob", 200, "{}");

        Cli.Result listed = atelier("workspace", "access", "list", "-w", "team-a");
        assertThat(listed.out()).isEqualTo("""
                USERNAME  ROLE
                ada       Owner
                bob       Reader
                """.replace("\n", System.lineSeparator()));

        Cli.Result revoked = atelier("workspace", "access", "revoke", "bob", "-w", "team-a");
        assertThat(revoked.exitCode()).isZero();
        assertThat(fake.lastRequest().method()).isEqualTo("DELETE");
    }

    @Test
    void listAsJsonIsTheServersArray() {
        fake.answer("GET", "/api/v1/access", 200, "{\"assignments\":[{\"username\":\"ada\",\"role\":\"Owner\"}]}");

        assertThat(json(atelier("workspace", "access", "list", "-o", "json").out()).get(0).get("role").asText()).isEqualTo("Owner");
    }
}
